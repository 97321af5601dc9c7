package dev.bee.core.libbpf;

import dev.bee.core.Architecture;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;

/**
 * jffi's native stub library (jnr-ffi's own JNI part), kept in bee's cache: left to itself, jffi writes it
 * from the jar to a temporary file and loads that on every start of a run (about 15 ms of a 0.35 s run).
 * The cached copy is used only when its bytes are the jar's (a truncated library would crash the JVM in
 * the dynamic loader); otherwise it is rewritten under a temporary name and moved into place. Any
 * failure leaves jffi to extract it as before.
 */
final class JffiStub {
    /** jffi's own setting: folders searched for its stub before it extracts the one in the jar. */
    static final String BOOT_PATH_PROPERTY = "jffi.boot.library.path";

    private JffiStub() {
    }

    /** Points jffi at the cached stub in {@code cache}, writing it there first when missing or different. */
    static void useCached(Path cache) {
        if (System.getProperty(BOOT_PATH_PROPERTY) != null) {
            return; // set by the user
        }
        String arch = Architecture.host().flatMap(Architecture::jffi).orElse(null);
        if (arch == null || !"Linux".equals(System.getProperty("os.name"))) {
            return;
        }
        String library = System.mapLibraryName("jffi-1.2");
        try (InputStream in = JffiStub.class.getResourceAsStream("/jni/" + arch + "-Linux/" + library)) {
            if (in == null) {
                return;
            }
            byte[] stub = in.readAllBytes();
            Path dir = cache.resolve("jffi");
            Path file = dir.resolve(library);
            if (!sameBytes(file, stub)) {
                Files.createDirectories(dir);
                Path tmp = Files.createTempFile(dir, library, ".tmp");
                try {
                    Files.write(tmp, stub);
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } finally {
                    Files.deleteIfExists(tmp);
                }
            }
            System.setProperty(BOOT_PATH_PROPERTY, dir.toString());
        } catch (IOException | RuntimeException e) {
            // jffi extracts it itself
        }
    }

    private static boolean sameBytes(Path file, byte[] expected) throws IOException {
        if (!Files.isRegularFile(file) || Files.size(file) != expected.length) {
            return false;
        }
        return Arrays.equals(Files.readAllBytes(file), expected);
    }
}
