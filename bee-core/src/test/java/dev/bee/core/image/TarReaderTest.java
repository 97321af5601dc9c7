package dev.bee.core.image;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tar and tar+gzip layers built byte by byte here, so every header field is under the test's control. */
class TarReaderTest {

    /** Writes ustar archives: 512-byte headers, content padded to 512, two zero blocks at the end. */
    static final class Tar {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Tar file(String name, String content) {
            return entry(name, '0', content.getBytes(StandardCharsets.UTF_8), "", Long.toOctalString(content.length()));
        }

        Tar entry(String name, char type, byte[] content, String prefix, String octalSize) {
            byte[] h = new byte[512];
            put(h, 0, 100, name);
            put(h, 100, 8, "0000644");
            put(h, 108, 8, "0000000");
            put(h, 116, 8, "0000000");
            put(h, 124, 12, octalSize);
            put(h, 136, 12, "00000000000");
            h[156] = (byte) type;
            put(h, 257, 6, "ustar");
            put(h, 263, 2, "00");
            put(h, 345, 155, prefix);
            // Checksum: sum of all header bytes with the checksum field counted as spaces.
            Arrays.fill(h, 148, 156, (byte) ' ');
            int sum = 0;
            for (byte b : h) {
                sum += b & 0xff;
            }
            put(h, 148, 7, String.format("%06o", sum));
            out.writeBytes(h);
            out.writeBytes(content);
            out.writeBytes(new byte[(512 - content.length % 512) % 512]);
            return this;
        }

        /** The archive with its end-of-archive marker. */
        byte[] bytes() {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            all.writeBytes(out.toByteArray());
            all.writeBytes(new byte[1024]);
            return all.toByteArray();
        }

        /** The archive as written so far, without the zero blocks. */
        byte[] unterminated() {
            return out.toByteArray();
        }

        private static void put(byte[] h, int off, int len, String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            if (b.length > len) {
                throw new IllegalArgumentException(s + " does not fit " + len + " bytes");
            }
            System.arraycopy(b, 0, h, off, b.length);
        }
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bos.toByteArray();
    }

    private static String text(TarReader.Entry e) {
        return new String(e.content(), StandardCharsets.UTF_8);
    }

    @Test
    void readsRegularFilesOfAPlainTar() {
        String big = "x".repeat(1000); // spans two blocks, checks the padding skip
        byte[] tar = new Tar().file("./prog.o", "ELF?").file("docs/readme.txt", big).file("empty", "").bytes();
        List<TarReader.Entry> entries = TarReader.read(tar, "layer");
        assertEquals(List.of("./prog.o", "docs/readme.txt", "empty"), entries.stream().map(TarReader.Entry::name).toList());
        assertEquals("prog.o", entries.get(0).cleanName());
        assertEquals("ELF?", text(entries.get(0)));
        assertEquals(big, text(entries.get(1)));
        assertEquals(0, entries.get(2).content().length);
    }

    @Test
    void readsTheSameEntriesFromTarGzip() {
        byte[] tar = new Tar().file("a.o", "alpha").file("b/c.o", "beta").bytes();
        List<TarReader.Entry> plain = TarReader.read(tar, "layer");
        List<TarReader.Entry> gz = TarReader.read(gzip(tar), "layer");
        assertEquals(2, gz.size());
        for (int i = 0; i < 2; i++) {
            assertEquals(plain.get(i).name(), gz.get(i).name());
            assertArrayEquals(plain.get(i).content(), gz.get(i).content());
        }
        assertEquals("beta", text(gz.get(1)));
    }

    @Test
    void onlyRegularFilesAreReturned() {
        byte[] tar = new Tar()
                .entry("dir/", '5', new byte[0], "", "0")
                .entry("link", '2', new byte[0], "", "0")
                .entry("old-style", '\0', "v7".getBytes(StandardCharsets.UTF_8), "", "2")
                .entry("contiguous", '7', "c".getBytes(StandardCharsets.UTF_8), "", "1")
                .file("dir/f", "f")
                .bytes();
        assertEquals(List.of("old-style", "contiguous", "dir/f"),
                TarReader.read(tar, "layer").stream().map(TarReader.Entry::name).toList());
    }

    @Test
    void ustarPrefixIsJoinedToTheName() {
        byte[] tar = new Tar().entry("prog.o", '0', "p".getBytes(StandardCharsets.UTF_8), "usr/lib/bpf", "1").bytes();
        assertEquals("usr/lib/bpf/prog.o", TarReader.read(tar, "layer").get(0).name());
    }

    @Test
    void gnuLongNameAndPaxPathReplaceTheHeaderName() {
        String longName = "deep/".repeat(30) + "prog.o"; // 156 characters: does not fit the 100-byte field
        byte[] ln = (longName + "\0").getBytes(StandardCharsets.UTF_8);
        String pax = "path=pax/prog.o\n";
        String record = (pax.length() + 3) + " " + pax; // "19 path=...\n" is 19 bytes long
        byte[] px = record.getBytes(StandardCharsets.UTF_8);
        assertEquals(19, px.length);
        byte[] tar = new Tar()
                .entry("././@LongLink", 'L', ln, "", Long.toOctalString(ln.length))
                .file("truncated-name", "1")
                .entry("PaxHeaders/x", 'x', px, "", Long.toOctalString(px.length))
                .file("short", "2")
                .file("plain", "3")
                .bytes();
        assertEquals(List.of(longName, "pax/prog.o", "plain"),
                TarReader.read(tar, "layer").stream().map(TarReader.Entry::name).toList());
    }

    @Test
    void unsafeEntryNamesRefuseTheWholeLayer() {
        for (String bad : new String[]{"../../x", "/etc/passwd", "a/../../b"}) {
            byte[] tar = new Tar().file("ok.o", "fine").file(bad, "evil").bytes();
            for (byte[] layer : List.of(tar, gzip(tar))) {
                BeeException e = assertThrows(BeeException.class, () -> TarReader.read(layer, "img"));
                assertEquals(ErrorKind.INPUT, e.kind());
                assertTrue(e.getMessage().startsWith("img tar entry: name '" + bad + "' would escape"), e.getMessage());
            }
        }
    }

    @Test
    void unsafeNamesHiddenInLongNameOrPaxOrPrefixAreRefused() {
        byte[] ln = "../../etc/cron.d/x\0".getBytes(StandardCharsets.UTF_8);
        byte[] viaLongName = new Tar().entry("././@LongLink", 'L', ln, "", Long.toOctalString(ln.length))
                .file("harmless", "x").bytes();
        byte[] px = "20 path=../escape.o\n".getBytes(StandardCharsets.UTF_8);
        byte[] viaPax = new Tar().entry("PaxHeaders/x", 'x', px, "", Long.toOctalString(px.length))
                .file("harmless", "x").bytes();
        byte[] viaPrefix = new Tar().entry("x.o", '0', new byte[0], "/abs", "0").bytes();
        byte[] viaDirectory = new Tar().entry("../up/", '5', new byte[0], "", "0").bytes();
        for (byte[] tar : List.of(viaLongName, viaPax, viaPrefix, viaDirectory)) {
            BeeException e = assertThrows(BeeException.class, () -> TarReader.read(tar, "img"));
            assertEquals(ErrorKind.INPUT, e.kind());
            assertTrue(e.getMessage().contains("would escape"), e.getMessage());
        }
    }

    @Test
    void declaredSizeAboveTheUnpackedBoundIsRefusedBeforeReading() {
        // One byte over the bound, in octal; no content follows, so only the header check can stop it.
        String over = Long.toOctalString(TarReader.MAX_UNPACKED + 1);
        byte[] tar = new Tar().entry("huge.o", '0', new byte[0], "", over).unterminated();
        for (byte[] layer : List.of(tar, gzip(tar))) {
            BeeException e = assertThrows(BeeException.class, () -> TarReader.read(layer, "img"));
            assertEquals(ErrorKind.INPUT, e.kind());
            assertEquals("img: tar layer unpacks to more than " + TarReader.MAX_UNPACKED + " bytes; refusing it",
                    e.getMessage());
        }
    }

    /** The bomb: a small gzip of one 250 MiB entry, refused from its header with nothing inflated. */
    @Test
    void oneHugeEntryBombIsRefused() throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        byte[] header = new Tar().entry("prog.o", '0', new byte[0], "", Long.toOctalString(250L << 20)).unterminated();
        try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
            gz.write(header);
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 250; i++) {
                gz.write(zeros);
            }
        }
        assertTrue(bos.size() < 1 << 20, "the layer is small: " + bos.size());
        BeeException e = assertThrows(BeeException.class, () -> TarReader.read(bos.toByteArray(), "img"));
        assertEquals(ErrorKind.INPUT, e.kind());
        assertTrue(e.getMessage().contains("unpacks to more than"), e.getMessage());
    }

    /** Entries that each fit but add up past the bound: refused at the bound, not after reading them all. */
    @Test
    void manyEntriesAddingUpPastTheBoundAreRefused() {
        Tar tar = new Tar();
        byte[] mib = new byte[1 << 20];
        for (int i = 0; i < 17; i++) {
            tar.entry("part" + i, '0', mib, "", Long.toOctalString(mib.length));
        }
        BeeException e = assertThrows(BeeException.class, () -> TarReader.read(gzip(tar.bytes()), "img"));
        assertEquals("img: tar layer unpacks to more than " + TarReader.MAX_UNPACKED + " bytes; refusing it",
                e.getMessage());
    }

    /** The other bomb: millions of empty entries. Refused at the entry bound. */
    @Test
    void tooManyEmptyEntriesAreRefused() {
        Tar tar = new Tar();
        for (int i = 0; i <= TarReader.MAX_ENTRIES; i++) {
            tar.entry("e" + i, '0', new byte[0], "", "0");
        }
        BeeException e = assertThrows(BeeException.class, () -> TarReader.read(gzip(tar.bytes()), "img"));
        assertEquals(ErrorKind.INPUT, e.kind());
        assertEquals("img: tar layer unpacks to more than " + TarReader.MAX_ENTRIES + " entries; refusing it",
                e.getMessage());
        Tar fits = new Tar();
        for (int i = 0; i < TarReader.MAX_ENTRIES; i++) {
            fits.entry("e" + i, '0', new byte[0], "", "0");
        }
        assertEquals(TarReader.MAX_ENTRIES, TarReader.read(fits.bytes(), "img").size());
    }

    @Test
    void base256SizeIsRefused() {
        byte[] tar = new Tar().file("x", "").bytes();
        tar[124] = (byte) 0x80;
        BeeException e = assertThrows(BeeException.class, () -> TarReader.read(tar, "img"));
        assertEquals("img: tar entry too large (base-256 size)", e.getMessage());
    }

    @Test
    void badOctalSizeIsRefused() {
        byte[] tar = new Tar().entry("x", '0', new byte[0], "", "12z").bytes();
        BeeException e = assertThrows(BeeException.class, () -> TarReader.read(tar, "img"));
        assertEquals(ErrorKind.INPUT, e.kind());
        assertEquals("img: tar header has a bad size field '12z'", e.getMessage());
    }

    @Test
    void contentShorterThanDeclaredIsTruncated() {
        byte[] tar = new Tar().entry("x", '0', "abc".getBytes(StandardCharsets.UTF_8), "", "1000").unterminated();
        BeeException e = assertThrows(BeeException.class, () -> TarReader.read(Arrays.copyOf(tar, 512 + 3), "img"));
        assertEquals("img: tar layer is truncated", e.getMessage());
    }

    @Test
    void aHalfHeaderIsAnUnreadableLayer() {
        byte[] tar = new Tar().file("a", "1").unterminated();
        byte[] cut = Arrays.copyOf(tar, tar.length + 100); // a complete entry, then 100 bytes of a next header
        cut[tar.length] = 'b';
        BeeException e = assertThrows(BeeException.class, () -> TarReader.read(cut, "img"));
        assertEquals(ErrorKind.INPUT, e.kind());
        assertTrue(e.getMessage().startsWith("img: not a readable tar layer"), e.getMessage());
    }

    @Test
    void anArchiveWithoutEndBlocksGivesWhatItHas() {
        byte[] tar = new Tar().file("a", "1").file("b", "2").unterminated();
        assertEquals(List.of("a", "b"), TarReader.read(tar, "img").stream().map(TarReader.Entry::name).toList());
        assertEquals(List.of(), TarReader.read(new byte[0], "img"));
    }

    @Test
    void corruptGzipIsAnInputError() {
        byte[] gz = gzip(new Tar().file("a", "1").bytes());
        byte[] cut = Arrays.copyOf(gz, 15);
        BeeException e = assertThrows(BeeException.class, () -> TarReader.read(cut, "img"));
        assertEquals(ErrorKind.INPUT, e.kind());
        assertTrue(e.getMessage().startsWith("img: not a readable tar+gzip layer"), e.getMessage());
    }
}
