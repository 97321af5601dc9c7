package dev.bee.core.image.container;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import dev.bee.core.image.Descriptor;
import dev.bee.core.image.Digests;
import dev.bee.core.image.ImageStore;
import dev.bee.core.image.MediaTypes;
import dev.bee.core.image.Platform;
import dev.bee.core.image.Staging;
import dev.bee.core.io.JsonTree;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Moves the image of an OCI layout tar (as Jib writes it) into an OCI layout folder, streaming: every
 * blob is checked against its digest on the way, and the folder's {@code index.json} names the image,
 * keeping other images already there (the folder is written as bee writes its store).
 */
final class OciTarImport {
    private static final long MAX_INDEX = 1 << 20;

    private OciTarImport() {
    }

    /** Imports {@code tar} into {@code dir} under {@code name}, for platform linux/{@code architecture}. */
    static void into(Path tar, Path dir, String name, String architecture) throws IOException {
        ImageStore store = new ImageStore(dir);
        Descriptor manifest = null;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(tar));
             Staging staging = store.stage()) {
            byte[] header = new byte[512];
            while (in.readNBytes(header, 0, 512) == 512 && header[0] != 0) {
                String entry = cString(header, 0, 100);
                long size = Long.parseLong(cString(header, 124, 12).trim(), 8);
                char type = (char) header[156];
                InputStream content = bounded(in, size);
                if (type == '0' || type == '\0') {
                    if (entry.equals("index.json")) {
                        manifest = manifestOf(content.readNBytes((int) Math.min(size, MAX_INDEX)), tar);
                    } else if (entry.startsWith("blobs/sha256/")) {
                        Descriptor blob = Descriptor.of(null, "sha256:" + entry.substring("blobs/sha256/".length()), size,
                                Map.of());
                        staging.put(content, blob, "blob " + Digests.shortForm(blob.digest()), null);
                    }
                }
                content.skip(Long.MAX_VALUE);
                in.skipNBytes((512 - size % 512) % 512);
            }
            if (manifest == null) {
                throw new BeeException(ErrorKind.INTERNAL, tar + " has no index.json: not an OCI layout archive");
            }
            staging.commit(name, manifest.withPlatform(new Platform("linux", architecture, null, null)));
        }
    }

    private static Descriptor manifestOf(byte[] index, Path tar) throws IOException {
        java.util.List<Object> ms = JsonTree.array(JsonTree.get(JsonTree.parse(index), "manifests"));
        if (ms == null || ms.size() != 1) {
            throw new BeeException(ErrorKind.INTERNAL, tar + ": expected one manifest in index.json");
        }
        Descriptor d = Descriptor.parse(ms.get(0), tar + " index.json");
        return new Descriptor(d.mediaType() == null ? MediaTypes.OCI_MANIFEST : d.mediaType(), d.digest(), d.size(),
                Map.of(), null, null);
    }

    /** The next {@code size} bytes of {@code in}, then end of stream (closing it leaves {@code in} open). */
    private static InputStream bounded(InputStream in, long size) {
        return new InputStream() {
            long left = size;

            @Override
            public int read() throws IOException {
                if (left <= 0) {
                    return -1;
                }
                int b = in.read();
                if (b >= 0) {
                    left--;
                }
                return b;
            }

            @Override
            public int read(byte[] buf, int off, int len) throws IOException {
                if (left <= 0) {
                    return -1;
                }
                int n = in.read(buf, off, (int) Math.min(len, left));
                if (n > 0) {
                    left -= n;
                }
                return n;
            }

            @Override
            public long skip(long n) throws IOException {
                long skipped = 0;
                byte[] buf = new byte[8192];
                while (left > 0 && skipped < n) {
                    int r = read(buf, 0, (int) Math.min(buf.length, n - skipped));
                    if (r < 0) {
                        break;
                    }
                    skipped += r;
                }
                return skipped;
            }

            @Override
            public void close() {
            }
        };
    }

    private static String cString(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.US_ASCII);
    }
}
