package dev.bee.core.init;

import java.util.Locale;

/**
 * What a new program watches, as {@code bee init --program-type} names it: TCP connects, file opens,
 * process exits, or a hook the user names with {@code --section}.
 */
public enum ProgramKind {
    NETWORK("network", "tcp_connect.c", "connects"),
    FILE_SYSTEM("file-system", "file_open.c", "opens"),
    PROCESS("process", "process_exit.c", "exits"),
    SECTION("section", "probe.c", "hits");

    /** The name on the command line: network, file-system, process. */
    private final String flag;
    private final String defaultFile;
    private final String mapBase;

    ProgramKind(String flag, String defaultFile, String mapBase) {
        this.flag = flag;
        this.defaultFile = defaultFile;
        this.mapBase = mapBase;
    }

    public String defaultFile() {
        return defaultFile;
    }

    /** The map name after the convention's prefix: counter_connects, print_opens... */
    String mapBase() {
        return mapBase;
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
