package dev.bee.core.image;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import dev.bee.core.Plural;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** sha256 digests in OCI spelling ({@code sha256:<64 hex>}) and verified, size-bounded copies. */
public final class Digests {
    private static final Pattern SHA256 = Pattern.compile("sha256:[0-9a-f]{64}");

    /** Largest manifest, index or config bee accepts. */
    public static final long MAX_DOCUMENT = 4L << 20;
    /** Largest layer bee accepts (eBPF objects are far smaller). */
    public static final long MAX_LAYER = 256L << 20;

    private Digests() {
    }

    public static String sha256(byte[] data) {
        return "sha256:" + HexFormat.of().formatHex(newSha256().digest(data));
    }

    public static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static boolean isSha256(String digest) {
        return digest != null && SHA256.matcher(digest).matches();
    }

    /** The hex part of a checked sha256 digest (safe to use as a file name). */
    public static String hex(String digest) {
        requireSha256(digest, "digest");
        return digest.substring(7);
    }

    public static void requireSha256(String digest, String what) {
        if (!isSha256(digest)) {
            throw new BeeException(ErrorKind.INPUT, what + " '" + digest + "' is not a sha256 digest",
                    "bee handles sha256 content only");
        }
    }

    /** A short form for people: the first 12 hex digits. */
    public static String shortForm(String digest) {
        return digest != null && digest.startsWith("sha256:") && digest.length() >= 19 ? digest.substring(7, 19) : digest;
    }

    /** Receives the number of bytes copied so far. */
    public interface Counter {
        void add(long bytes);
    }

    /**
     * Copies {@code in} to {@code out}, at most {@code expectedSize} bytes, and checks size and digest.
     * Throws a {@link BeeException} of kind INPUT when the content does not match, REGISTRY when
     * the stream ends early or fails (a cut transfer); a failure to write {@code out} is thrown as it
     * is, for the caller to report as the write failure it is.
     */
    public static void copyVerified(InputStream in, OutputStream out, String expectedDigest, long expectedSize,
                                    String what, Counter counter) throws IOException {
        MessageDigest sha = newSha256();
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        while (true) {
            int n;
            try {
                n = in.read(buf);
            } catch (IOException e) {
                throw new BeeException(ErrorKind.REGISTRY, "transfer of " + what + " was cut after " + total + " of "
                        + Plural.of(expectedSize, "byte") + " (" + e.getMessage() + "); nothing was stored",
                        "try again; check the network and the registry", e);
            }
            if (n <= 0) {
                break;
            }
            total += n;
            if (total > expectedSize) {
                throw new BeeException(ErrorKind.INPUT, what + " is larger than the "
                        + Plural.of(expectedSize, "byte") + " its descriptor declares; nothing was stored");
            }
            sha.update(buf, 0, n);
            out.write(buf, 0, n);
            if (counter != null) {
                counter.add(n);
            }
        }
        if (total != expectedSize) {
            throw new BeeException(ErrorKind.REGISTRY, "transfer of " + what + " was cut after " + total + " of "
                    + Plural.of(expectedSize, "byte") + "; nothing was stored",
                    "try again; check the network and the registry");
        }
        String actual = "sha256:" + HexFormat.of().formatHex(sha.digest());
        if (!actual.equals(expectedDigest)) {
            throw mismatch(what, expectedDigest, actual);
        }
    }

    public static BeeException mismatch(String what, String expected, String actual) {
        return new BeeException(ErrorKind.INPUT, "digest mismatch for " + what + ": expected " + expected + ", got "
                + actual + "; nothing was stored", "the content was altered in the registry or on the way");
    }

    public static String humanSize(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        double v = bytes;
        String[] units = {"KiB", "MiB", "GiB"};
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
