package dev.bee.cli;

import dev.bee.core.build.ClangCompiler;
import dev.bee.core.runtime.Loader;
import dev.bee.core.io.Json;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.jar.Manifest;

/**
 * {@code bee version} (and {@code bee --version}): bee's version and commit, and the versions of what it
 * runs on, as a bug report needs them: Java, the kernel, libbpf and clang.
 */
@Command(name = "version", header = "Show bee's version and the versions of what it runs on.",
        description = "Print bee's version and commit, and the Java, kernel, libbpf and clang versions it finds "
                + "(a tool that is missing says 'not found').")
final class VersionCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;

    @Mixin
    FormatOption format;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Map<String, String> v = versions();
        if (format.json()) {
            spec.commandLine().getOut().println(Json.pretty(v));
        } else {
            text(v).forEach(spec.commandLine().getOut()::println);
        }
        spec.commandLine().getOut().flush();
        return 0;
    }

    /** The versions by name: bee, commit, java, kernel, arch, libbpf, clang. */
    static Map<String, String> versions() {
        Map<String, String> v = new LinkedHashMap<>();
        Manifest m = manifest();
        String version = m == null ? null : m.getMainAttributes().getValue("Implementation-Version");
        String commit = m == null ? null : m.getMainAttributes().getValue("Bee-Commit");
        v.put("bee", version != null ? version : "development (not built by mvn package)");
        // Built outside a git checkout, the build leaves the property unresolved.
        v.put("commit", commit != null && !commit.isBlank() && !commit.startsWith("${") ? commit : "unknown");
        v.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")");
        v.put("kernel", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        v.put("arch", System.getProperty("os.arch"));
        v.put("libbpf", Loader.libbpfVersion().orElse("not found"));
        v.put("clang", ClangCompiler.installedVersion().orElse("not found"));
        return v;
    }

    static List<String> text(Map<String, String> v) {
        List<String> lines = new ArrayList<>();
        lines.add("bee " + v.get("bee") + " (commit " + v.get("commit") + ")");
        lines.add("  java    " + v.get("java"));
        lines.add("  kernel  " + v.get("kernel") + " " + v.get("arch"));
        lines.add("  libbpf  " + v.get("libbpf"));
        lines.add("  clang   " + v.get("clang"));
        return lines;
    }

    /** bee.jar's manifest (the shaded jar's own), or null when running from classes. */
    private static Manifest manifest() {
        try (var in = VersionCommand.class.getResourceAsStream("/META-INF/MANIFEST.MF")) {
            if (in == null) {
                return null;
            }
            Manifest m = new Manifest(in);
            return "dev.bee.cli.Main".equals(m.getMainAttributes().getValue("Main-Class")) ? m : null;
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /** {@code bee --version}: the same text. */
    static final class Provider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return text(versions()).toArray(new String[0]);
        }
    }
}
