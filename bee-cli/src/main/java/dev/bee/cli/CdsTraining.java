package dev.bee.cli;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The launcher's training run for its class data sharing archive ({@code bee cds-training}, not a picocli
 * command): loads the classes every command may need from bee.jar itself, so the archive the JVM writes
 * at exit serves all commands, not only the first one a user happens to run. Loads without initializing
 * or linking, and runs no picocli code: the JDK archives old class files (picocli's are Java 5) only while
 * they are unlinked, and skips every one a run has used. {@code bee cds-training run} trains a smaller
 * archive for {@code bee run} alone: an archive is resident in whole, and a streaming agent's memory counts.
 */
final class CdsTraining {
    static final String COMMAND = "cds-training";
    /** The code bee runs: its own, the command line, JSON, the binding, metrics, the screen, the registry. */
    private static final List<String> PACKAGES = List.of("dev/bee/", "picocli/", "com/fasterxml/jackson/core/",
            "com/fasterxml/jackson/databind/", "jnr/ffi/", "com/kenai/jffi/", "io/prometheus/metrics/",
            "org/jline/", "org/slf4j/", "land/oras/", "tools/jackson/");
    /** What {@code bee run} loads: no registry, no image building, no protobuf exposition. */
    private static final List<String> RUN_PACKAGES = List.of("dev/bee/core/", "dev/bee/cli/", "picocli/",
            "jnr/ffi/", "com/kenai/jffi/", "org/objectweb/asm/", "io/prometheus/metrics/core/",
            "io/prometheus/metrics/model/", "io/prometheus/metrics/config/", "io/prometheus/metrics/exporter/",
            "io/prometheus/metrics/expositionformats/", "org/jline/terminal/", "org/jline/utils/", "org/slf4j/");
    private static final List<String> RUN_EXCLUDED = List.of("dev/bee/core/image/container/",
            "dev/bee/core/image/registry/", "dev/bee/core/build/", "dev/bee/core/init/",
            "io/prometheus/metrics/expositionformats/generated/");

    private CdsTraining() {
    }

    /** {@code args}: {@code cds-training} and optionally {@code run}. */
    static int run(String... args) {
        boolean forRun = args.length > 1 && args[1].equals("run");
        List<String> packages = forRun ? RUN_PACKAGES : PACKAGES;
        List<String> excluded = forRun ? RUN_EXCLUDED : List.of();
        Path jar;
        try {
            jar = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            return 0;
        }
        if (!jar.toString().endsWith(".jar")) {
            return 0; // run from classes: nothing to archive
        }
        ClassLoader loader = Main.class.getClassLoader();
        try (JarFile f = new JarFile(jar.toFile())) {
            for (JarEntry e : f.stream().toList()) {
                String n = e.getName();
                if (n.endsWith(".class") && !n.contains("module-info") && !n.startsWith("META-INF/")
                        && packages.stream().anyMatch(n::startsWith) && excluded.stream().noneMatch(n::startsWith)) {
                    try {
                        Class.forName(n.substring(0, n.length() - 6).replace('/', '.'), false, loader);
                    } catch (Throwable t) {
                        // a class whose optional dependencies are absent: bee never uses it
                    }
                }
            }
        } catch (IOException e) {
            return 1;
        }
        return 0;
    }
}
