package dev.bee.core.image;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bee.core.object.AttachKind;
import dev.bee.core.object.BpfObject;
import dev.bee.core.object.MapSpec;
import dev.bee.core.object.MapType;
import dev.bee.core.object.ProgramSpec;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * bpfman's image config labels for an object: {@code io.ebpf.programs} and {@code io.ebpf.maps}, each a
 * JSON object written as a string (program function name to program type, map name to map type, in
 * bpfman's spelling), which bpfman's image manager parses to know what the image holds. Keys are sorted,
 * so the same object gives the same label text. Used by bpfman-format images and by {@code bee package}.
 */
public final class BpfmanLabels {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private BpfmanLabels() {
    }

    /** Both labels, {@code io.ebpf.maps} and {@code io.ebpf.programs}, in that (sorted) order. */
    public static Map<String, String> of(BpfObject object) {
        Map<String, String> labels = new TreeMap<>();
        labels.put(MediaTypes.BPFMAN_PROGRAMS, programsJson(object));
        labels.put(MediaTypes.BPFMAN_MAPS, mapsJson(object));
        return labels;
    }

    /** {@code {"function":"type",...}}, e.g. {@code {"handle_exit":"tracepoint"}}. */
    public static String programsJson(BpfObject object) {
        Map<String, String> m = new TreeMap<>();
        for (ProgramSpec p : object.programs()) {
            m.put(p.name(), programType(p));
        }
        return json(m);
    }

    /** {@code {"map":"type",...}}, e.g. {@code {"print_opens":"ringbuf"}}. */
    public static String mapsJson(BpfObject object) {
        Map<String, String> m = new TreeMap<>();
        for (MapSpec map : object.maps()) {
            m.put(map.name(), mapType(map.type()));
        }
        return json(m);
    }

    /**
     * bpfman's name for a program's type: its own names for the kinds it attaches (xdp, tc, tcx,
     * tracepoint, kprobe, kretprobe, uprobe, uretprobe, fentry, fexit), else the kernel's program
     * type in lower case (raw_tracepoint, socket_filter, perf_event, ...), which bpfman also reads.
     */
    public static String programType(ProgramSpec p) {
        AttachKind k = p.attachKind();
        return switch (k) {
            case XDP -> "xdp";
            case TC -> "tc";
            case TCX -> "tcx";
            case TRACEPOINT -> "tracepoint";
            case KPROBE, KSYSCALL, KPROBE_MULTI -> "kprobe";
            case KRETPROBE, KRETSYSCALL, KRETPROBE_MULTI -> "kretprobe";
            case UPROBE, USDT -> "uprobe";
            case URETPROBE -> "uretprobe";
            case FENTRY -> "fentry";
            case FEXIT -> "fexit";
            default -> p.type().name().toLowerCase(Locale.ROOT);
        };
    }

    /** bpfman's name for a map type: the kernel's, with {@code percpu} written {@code per_cpu}. */
    public static String mapType(MapType type) {
        if (type == null) {
            return "unspec";
        }
        return type.name().toLowerCase(Locale.ROOT).replace("percpu", "per_cpu");
    }

    private static String json(Map<String, String> m) {
        try {
            return MAPPER.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
