package dev.bee.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bee.core.io.Json;
import dev.bee.core.testing.Examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A container image run the way a container runtime would, without one: its layers unpacked in order
 * into a folder (whiteouts applied), then its entrypoint started in a private mount namespace
 * ({@code unshare -m}) where the folder is bound read-only over itself with /proc, /sys, tracefs, the
 * bpf filesystem, debugfs and /dev bound in and a tmpfs on /tmp, under {@code chroot}, with the image's
 * environment and only the given capabilities in the bounding set ({@code setpriv}). The mounts exist
 * only in that namespace and end with the process; {@link #close} also checks that none is left.
 */
final class ContainerRootfs implements AutoCloseable {
    private static final String MOUNTS = """
            set -e
            R=$1; shift
            mount --bind "$R" "$R"
            mount --bind /proc "$R/proc"
            mount --bind /sys "$R/sys"
            mount --bind /sys/kernel/tracing "$R/sys/kernel/tracing"
            mount --bind /sys/fs/bpf "$R/sys/fs/bpf"
            if mountpoint -q /sys/kernel/debug; then mount --bind /sys/kernel/debug "$R/sys/kernel/debug"; fi
            mount --bind /dev "$R/dev"
            mount -o remount,bind,ro "$R"
            mount -t tmpfs tmpfs "$R/tmp"
            exec "$@"
            """;

    private final Path root;
    private final JsonNode config;

    private ContainerRootfs(Path root, JsonNode config) {
        this.root = root;
        this.config = config;
    }

    /** Unpacks image {@code name} of the OCI layout {@code layout} into {@code root} (a new folder). */
    static ContainerRootfs unpack(Path layout, String name, Path root) throws IOException {
        JsonNode index = Json.mapper().readTree(layout.resolve("index.json").toFile());
        String manifestDigest = null;
        for (JsonNode m : index.path("manifests")) {
            if (name.equals(m.path("annotations").path("org.opencontainers.image.ref.name").asText())) {
                manifestDigest = m.path("digest").asText();
            }
        }
        if (manifestDigest == null) {
            throw new AssertionError("no image " + name + " in " + layout.resolve("index.json"));
        }
        JsonNode manifest = Json.mapper().readTree(blob(layout, manifestDigest).toFile());
        JsonNode config = Json.mapper().readTree(blob(layout, manifest.path("config").path("digest").asText()).toFile());
        Files.createDirectories(root);
        for (JsonNode layer : manifest.path("layers")) {
            Path blob = blob(layout, layer.path("digest").asText());
            applyWhiteouts(root, Examples.exec("tar", "-tzf", blob.toString()).lines().toList());
            Examples.exec("tar", "--warning=no-unknown-keyword", "--exclude=.wh.*", "-xzf", blob.toString(), "-C",
                    root.toString());
        }
        for (String dir : List.of("proc", "sys", "dev", "tmp")) {
            Files.createDirectories(root.resolve(dir));
        }
        return new ContainerRootfs(root, config);
    }

    private static Path blob(Path layout, String digest) {
        return layout.resolve("blobs").resolve("sha256").resolve(digest.substring("sha256:".length()));
    }

    /** OCI whiteouts of a layer, applied to what the layers below left: {@code .wh.NAME} and {@code .wh..wh..opq}. */
    static void applyWhiteouts(Path root, List<String> entries) throws IOException {
        for (String entry : entries) {
            String clean = entry.startsWith("./") ? entry.substring(2) : entry;
            Path p = Path.of(clean);
            String base = p.getFileName() == null ? "" : p.getFileName().toString();
            if (!base.startsWith(".wh.")) {
                continue;
            }
            Path dir = p.getParent() == null ? root : root.resolve(p.getParent()).normalize();
            if (!dir.startsWith(root)) {
                throw new AssertionError("whiteout outside the root: " + entry);
            }
            if (base.equals(".wh..wh..opq")) {
                if (Files.isDirectory(dir)) {
                    try (Stream<Path> s = Files.list(dir)) {
                        for (Path child : s.toList()) {
                            deleteTree(child);
                        }
                    }
                }
            } else {
                Path victim = dir.resolve(base.substring(".wh.".length())).normalize();
                if (victim.startsWith(root)) {
                    deleteTree(victim);
                }
            }
        }
    }

    /** The image config's {@code config} object (Entrypoint, Env, Labels, ExposedPorts). */
    JsonNode config() {
        return config.path("config");
    }

    Path root() {
        return root;
    }

    /**
     * Starts the image's entrypoint (plus {@code extraArgs}) with only {@code capabilities} (names as in a
     * pod spec: BPF, PERFMON...) and the image's environment; stdout and stderr go to the files given.
     */
    Process start(List<String> capabilities, List<String> extraArgs, Path out, Path err) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("unshare", "--mount", "--propagation", "private", "sh", "-c", MOUNTS,
                "sh", root.toString(), "/usr/bin/env", "-i"));
        for (JsonNode e : config().path("Env")) {
            cmd.add(e.asText());
        }
        StringBuilder bounding = new StringBuilder("-all,+sys_chroot");
        capabilities.forEach(c -> bounding.append(",+").append(c.toLowerCase(java.util.Locale.ROOT)));
        cmd.addAll(List.of("/usr/bin/setpriv", "--bounding-set", bounding.toString(), "/usr/sbin/chroot", root.toString()));
        for (JsonNode a : config().path("Entrypoint")) {
            cmd.add(a.asText());
        }
        cmd.addAll(extraArgs);
        return new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    }

    /** Mount points under the root still visible here (none expected: they live in the child's namespace). */
    List<String> leftoverMounts() throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
            String[] f = line.split(" ");
            if (f.length > 1 && (f[1].equals(root.toString()) || f[1].startsWith(root + "/"))) {
                out.add(f[1]);
            }
        }
        return out;
    }

    /** Unmounts anything left under the root (defensive) and deletes the folder only when nothing is mounted. */
    @Override
    public void close() throws IOException {
        List<String> mounts = leftoverMounts();
        for (int i = mounts.size() - 1; i >= 0; i--) {
            try {
                new ProcessBuilder("umount", "-l", mounts.get(i)).inheritIO().start().waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (leftoverMounts().isEmpty()) {
            deleteTree(root);
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** The image's environment as a map (for assertions). */
    Map<String, String> environment() {
        Map<String, String> env = new java.util.TreeMap<>();
        for (JsonNode e : config().path("Env")) {
            String s = e.asText();
            int eq = s.indexOf('=');
            env.put(s.substring(0, eq), s.substring(eq + 1));
        }
        return env;
    }
}
