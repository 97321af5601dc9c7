package dev.bee.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The launcher's training run for its class data sharing archive (hidden): loads the classes every
 * command may need, from bee.jar itself, so the archive the JVM writes at exit serves all commands,
 * not only the first one a user happens to run. Loads without initializing: nothing runs, nothing is
 * touched.
 */
@Command(name = "cds-training", hidden = true, description = "Load bee's classes for a class data sharing archive.")
final class CdsTrainingCommand implements Callable<Integer> {
    /** The code bee runs: its own, the command line, JSON, the binding, metrics, the screen, the registry. */
    private static final List<String> PACKAGES = List.of("dev/bee/", "picocli/", "com/fasterxml/jackson/core/",
            "com/fasterxml/jackson/databind/", "jnr/ffi/", "com/kenai/jffi/", "io/prometheus/metrics/",
            "org/jline/", "org/slf4j/", "land/oras/", "tools/jackson/");

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        spec.root().commandLine().getSubcommands().values()
                .forEach(c -> c.usage(new java.io.PrintWriter(new StringWriter())));
        Path jar;
        try {
            jar = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
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
                        && PACKAGES.stream().anyMatch(n::startsWith)) {
                    try {
                        Class.forName(n.substring(0, n.length() - 6).replace('/', '.'), false, loader);
                    } catch (Throwable t) {
                        // a class whose optional dependencies are absent: bee never uses it
                    }
                }
            }
        }
        return 0;
    }
}
