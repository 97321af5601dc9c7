package dev.bee.core.build;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import dev.bee.core.io.AtomicFiles;
import dev.bee.core.io.WriteError;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

/**
 * bee's own C headers ({@code bee_types.h}, {@code solo_types.h}), shipped inside the jar and unpacked
 * into a cache folder named after their content, so every build sees exactly this bee's headers.
 */
public final class BeeHeaders {
    public static final List<String> NAMES = List.of("bee_types.h", "solo_types.h");
    private static final String RESOURCE_DIR = "/dev/bee/core/build/include/";

    private BeeHeaders() {
    }

    /** The folder holding the headers, for {@code -I}. */
    public static Path includeDir(Path cacheRoot) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[][] contents = new byte[NAMES.size()][];
            for (int i = 0; i < NAMES.size(); i++) {
                contents[i] = resource(NAMES.get(i));
                sha.update(NAMES.get(i).getBytes());
                sha.update(contents[i]);
            }
            Path dir = cacheRoot.resolve("include").resolve(HexFormat.of().formatHex(sha.digest()).substring(0, 16));
            for (int i = 0; i < NAMES.size(); i++) {
                Path f = dir.resolve(NAMES.get(i));
                if (!Files.exists(f)) {
                    AtomicFiles.write(f, contents[i]);
                }
            }
            return dir;
        } catch (IOException e) {
            throw WriteError.of(cacheRoot, e, "set BEE_HOME (or --config-dir) to a writable folder");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = BeeHeaders.class.getResourceAsStream(RESOURCE_DIR + name)) {
            if (in == null) {
                throw new IOException("header " + name + " is missing from bee's jar");
            }
            return in.readAllBytes();
        }
    }
}
