package dev.bee.core.kernel;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;

/**
 * The capability sets of a process as /proc/PID/status shows them: effective (what the kernel checks)
 * and bounding (the most the process or its children can ever get). Parsing only; the caller reads
 * the file.
 */
public record ProcessCapabilities(long effective, long bounding) {

    /** Parses the CapEff and CapBnd lines of a /proc/PID/status text. */
    public static ProcessCapabilities parse(String status) {
        return new ProcessCapabilities(mask(status, "CapEff:"), mask(status, "CapBnd:"));
    }

    private static long mask(String status, String field) {
        for (String line : status.split("\n")) {
            if (line.startsWith(field)) {
                String hex = line.substring(field.length()).trim();
                try {
                    return Long.parseUnsignedLong(hex, 16);
                } catch (NumberFormatException e) {
                    break;
                }
            }
        }
        throw new BeeException(ErrorKind.INTERNAL, "cannot read " + field + " from /proc/self/status",
                "bee needs a Linux /proc to check its capabilities");
    }

    public boolean has(Capability c) {
        return (effective & (1L << c.bit())) != 0;
    }

    /** Whether the process could be given {@code c} at all (ambient capabilities, setpriv, exec). */
    public boolean canGain(Capability c) {
        return (bounding & (1L << c.bit())) != 0;
    }
}
