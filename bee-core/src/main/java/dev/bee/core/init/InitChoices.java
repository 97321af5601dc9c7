package dev.bee.core.init;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import dev.bee.core.io.Json;
import dev.bee.core.object.AttachKind;
import dev.bee.core.object.OutputKind;
import dev.bee.core.object.ProgramSection;
import dev.bee.core.object.SectionNames;

import java.util.EnumSet;
import java.util.Set;

/**
 * Everything {@code bee init} needs to write a program: what it watches (a kind, with a kprobe instead of
 * the tracepoint for network, or a raw section), the map that carries its data (a ring buffer of events
 * or a hash map of aggregates) and what bee does with that map (print it, or a counter, gauge or
 * histogram).
 *
 * @param kind    what the program watches
 * @param kprobe  network only: hook tcp_v4_connect with a kprobe instead of the sock tracepoint
 * @param section for {@link ProgramKind#SECTION}: the ELF section, e.g. {@code tracepoint/syscalls/sys_enter_openat}
 * @param map     ring buffer or hash map
 * @param output  the map's convention
 */
public record InitChoices(ProgramKind kind, boolean kprobe, String section, MapKind map, OutputKind output) {
    /** The map the program writes. */
    public enum MapKind { RINGBUF, HASH }

    /** Hooks a generic program can sit on: their programs may read the current task and use ring buffers. */
    private static final Set<AttachKind> SECTION_KINDS = EnumSet.of(AttachKind.KPROBE, AttachKind.KRETPROBE,
            AttachKind.KSYSCALL, AttachKind.KRETSYSCALL, AttachKind.UPROBE, AttachKind.URETPROBE, AttachKind.USDT,
            AttachKind.TRACEPOINT, AttachKind.RAW_TRACEPOINT, AttachKind.TP_BTF, AttachKind.FENTRY, AttachKind.FEXIT,
            AttachKind.PERF_EVENT);

    public InitChoices {
        if (output == null || output == OutputKind.NONE) {
            throw new BeeException(ErrorKind.USAGE, "--output must be print, counter, gauge or hist");
        }
        if (kprobe && kind != ProgramKind.NETWORK) {
            throw new BeeException(ErrorKind.USAGE, "--kprobe is for --program-type network",
                    "file-system and process programs use tracepoints, which every kernel has");
        }
        if (kind == ProgramKind.SECTION) {
            requireSourceSafe(section);
            ProgramSection s = SectionNames.parse(section);
            if (!SECTION_KINDS.contains(s.attachKind())) {
                throw new BeeException(ErrorKind.USAGE, "--section " + section + ": bee init writes tracing programs",
                        "use a tracepoint/..., raw_tp/..., tp_btf/..., kprobe/..., uprobe/..., usdt/..., "
                                + "fentry/... or perf_event section");
            }
        } else if (section != null) {
            throw new BeeException(ErrorKind.USAGE, "--section and --program-type are alternatives",
                    "give one of them");
        }
    }

    /**
     * The section goes into the C source inside {@code SEC("...")} and a comment: a control character (a
     * newline would start a line of code), a quote, a backslash or a comment end would change the program.
     */
    private static void requireSourceSafe(String section) {
        for (int i = 0; i < section.length(); i++) {
            char ch = section.charAt(i);
            if (Character.isISOControl(ch) || ch == '"' || ch == '\\' || section.startsWith("*/", i)) {
                throw new BeeException(ErrorKind.USAGE, "--section " + Json.line(section) + ": a section name has no "
                        + (Character.isISOControl(ch) ? "control characters" : "'" + (ch == '*' ? "*/" : ch) + "'"),
                        "give the section as libbpf names it, e.g. tracepoint/syscalls/sys_enter_openat");
            }
        }
    }
}
