package dev.bee.core.init;

import java.util.List;
import java.util.Locale;

/**
 * What a new program watches, as {@code bee init --program-type} names it: TCP connects, file opens,
 * process exits, or a hook the user names with {@code --section}. Its program is the template named
 * like its default file (templates/tcp_connect.c, ...), whose {@code struct info_t} declares what one
 * occurrence is.
 */
public enum ProgramKind {
    NETWORK("network", "tcp_connect.c", "connect", "latency", List.of("daddr", "dport")),
    FILE_SYSTEM("file-system", "file_open.c", "open", "latency", List.of("comm")),
    PROCESS("process", "process_exit.c", "exit", "lifetime", List.of("comm")),
    SECTION("section", "probe.c", "hit", "interval", List.of("comm"));

    /** The name on the command line: network, file-system, process. */
    private final String flag;
    private final String defaultFile;
    private final String occurrence;
    private final String measure;
    private final List<String> labels;

    ProgramKind(String flag, String defaultFile, String occurrence, String measure, List<String> labels) {
        this.flag = flag;
        this.defaultFile = defaultFile;
        this.occurrence = occurrence;
        this.measure = measure;
        this.labels = labels;
    }

    public String defaultFile() {
        return defaultFile;
    }

    /** What the program sees once, in the comments' words: connect, open, exit, hit. */
    String occurrence() {
        return occurrence;
    }

    /** The map name after the convention's prefix: counter_connects, print_opens... */
    String mapBase() {
        return occurrence + "s";
    }

    /** The measurement's field name when it is a value or shown in events: latency, lifetime, interval. */
    String measure() {
        return measure;
    }

    /** The info_t fields few enough in values to be hash keys and metric labels; the others are only printed. */
    List<String> labels() {
        return labels;
    }

    /** The kind named {@code flag} on the command line, or null. */
    public static ProgramKind of(String flag) {
        String f = flag.toLowerCase(Locale.ROOT).replace('_', '-');
        for (ProgramKind k : values()) {
            if (k != SECTION && (k.flag.equals(f) || (k == FILE_SYSTEM && f.equals("filesystem")))) {
                return k;
            }
        }
        return null;
    }
}
