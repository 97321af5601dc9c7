package dev.bee.cli;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A size in bytes as a flag takes it: {@code 65536}, {@code 64k}, {@code 64KiB}, {@code 16M}, {@code 1GiB} (powers of 1024). */
final class ByteSize {
    private static final Pattern SIZE = Pattern.compile("(\\d{1,10})\\s*([kmg]?)(i?b)?");

    private ByteSize() {
    }

    /** The bytes {@code text} says, for flag {@code flag}; a usage error for anything else. */
    static long parse(String flag, String text) {
        Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches() || (m.group(3) != null && m.group(3).startsWith("i") && m.group(2).isEmpty())) {
            throw new BeeException(ErrorKind.USAGE, flag + " " + text + ": not a size",
                    "give bytes, or a number with k, M or G (powers of 1024): 64M, 256MiB");
        }
        long n = Long.parseLong(m.group(1));
        int shift = switch (m.group(2)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            default -> 0;
        };
        return n << shift;
    }

    /** {@code bytes} as people read it: 64 MiB, 512 KiB, 1000 bytes. */
    static String format(long bytes) {
        if (bytes >= 1 << 30 && bytes % (1 << 30) == 0) {
            return (bytes >> 30) + " GiB";
        }
        if (bytes >= 1 << 20 && bytes % (1 << 20) == 0) {
            return (bytes >> 20) + " MiB";
        }
        if (bytes >= 1 << 10 && bytes % (1 << 10) == 0) {
            return (bytes >> 10) + " KiB";
        }
        return bytes + " bytes";
    }
}
