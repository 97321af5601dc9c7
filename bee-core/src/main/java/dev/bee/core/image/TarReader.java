package dev.bee.core.image;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import dev.bee.core.Plural;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Reads the regular files of a tar layer (plain or gzip), for bpfman images whose layer holds the
 * object. Every entry name is checked with {@link Titles} (no absolute paths, no {@code ..}). A
 * decompression bomb is refused while it streams: the unpacked tar (headers, content and padding)
 * may hold at most {@link #MAX_UNPACKED} bytes and {@link #MAX_ENTRIES} entries, far past any eBPF
 * image (bpfman's hold one to a few objects of kilobytes) and small enough for {@code bee run}'s heap.
 */
public final class TarReader {
    /** Most bytes a tar layer may unpack to, counting every header and padding block. */
    public static final long MAX_UNPACKED = 16L << 20;
    /** Most entries (headers of any type) a tar layer may hold. */
    public static final int MAX_ENTRIES = 4096;

    public record Entry(String name, byte[] content) {
        /** The name without leading {@code ./}. */
        public String cleanName() {
            String n = name;
            while (n.startsWith("./")) {
                n = n.substring(2);
            }
            return n;
        }
    }

    private TarReader() {
    }

    public static List<Entry> read(byte[] layer, String where) {
        boolean gzip = layer.length > 2 && (layer[0] & 0xff) == 0x1f && (layer[1] & 0xff) == 0x8b;
        try (InputStream in = gzip ? new GZIPInputStream(new ByteArrayInputStream(layer)) : new ByteArrayInputStream(layer)) {
            return read(in, where);
        } catch (IOException e) {
            throw new BeeException(ErrorKind.INPUT, where + ": not a readable tar" + (gzip ? "+gzip" : "") + " layer: "
                    + e.getMessage(), null, e);
        }
    }

    private static List<Entry> read(InputStream in, String where) throws IOException {
        List<Entry> out = new ArrayList<>();
        long total = 0;
        int entries = 0;
        String longName = null;
        byte[] header = new byte[512];
        while (true) {
            if (!readFully(in, header)) {
                break; // end without the two zero blocks: accept what was read
            }
            if (isZero(header)) {
                break;
            }
            if (++entries > MAX_ENTRIES) {
                throw bomb(where, "more than " + MAX_ENTRIES + " entries");
            }
            String name = cString(header, 0, 100);
            long size = octal(header, 124, 12, where);
            char type = (char) header[156];
            String magic = cString(header, 257, 6);
            if (magic.startsWith("ustar")) {
                String prefix = cString(header, 345, 155);
                if (!prefix.isEmpty()) {
                    name = prefix + "/" + name;
                }
            }
            // Checked from the header, before any content is read.
            long padded = size + (512 - size % 512) % 512;
            if (size < 0 || size > MAX_UNPACKED || (total += 512 + padded) > MAX_UNPACKED) {
                throw bomb(where, "more than " + Plural.of(MAX_UNPACKED, "byte"));
            }
            byte[] content = readN(in, (int) size, where);
            skip(in, (512 - size % 512) % 512);
            if (type == 'L') {
                longName = cString(content, 0, content.length);
                continue;
            }
            if (type == 'x') {
                String path = paxPath(content);
                if (path != null) {
                    longName = path;
                }
                continue;
            }
            if (type == 'g') {
                continue;
            }
            if (longName != null) {
                name = longName;
                longName = null;
            }
            Titles.check(name, where + " tar entry");
            if (type == '0' || type == '\0' || type == '7') {
                out.add(new Entry(name, content));
            }
        }
        return out;
    }

    private static BeeException bomb(String where, String what) {
        return new BeeException(ErrorKind.INPUT, where + ": tar layer unpacks to " + what + "; refusing it",
                "an eBPF image's tar layer holds a few small objects; this one looks like a decompression bomb");
    }

    private static String paxPath(byte[] content) {
        String s = new String(content, StandardCharsets.UTF_8);
        for (String line : s.split("\n")) {
            int sp = line.indexOf(' ');
            if (sp > 0 && line.startsWith("path=", sp + 1)) {
                return line.substring(sp + 6);
            }
        }
        return null;
    }

    private static boolean readFully(InputStream in, byte[] buf) throws IOException {
        int off = 0;
        while (off < buf.length) {
            int n = in.read(buf, off, buf.length - off);
            if (n < 0) {
                if (off == 0) {
                    return false;
                }
                throw new IOException("truncated tar header");
            }
            off += n;
        }
        return true;
    }

    private static byte[] readN(InputStream in, int n, String where) throws IOException {
        byte[] b = new byte[n]; // n is bounded above: one array, no growing copies
        if (in.readNBytes(b, 0, n) != n) {
            throw new BeeException(ErrorKind.INPUT, where + ": tar layer is truncated");
        }
        return b;
    }

    private static void skip(InputStream in, long n) throws IOException {
        in.readNBytes((int) n);
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private static String cString(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && end < b.length && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }

    private static long octal(byte[] b, int off, int len, String where) {
        if ((b[off] & 0x80) != 0) {
            throw new BeeException(ErrorKind.INPUT, where + ": tar entry too large (base-256 size)");
        }
        String s = cString(b, off, len).trim();
        if (s.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseLong(s, 8);
        } catch (NumberFormatException e) {
            throw new BeeException(ErrorKind.INPUT, where + ": tar header has a bad size field '" + s + "'");
        }
    }
}
