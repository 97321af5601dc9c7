package dev.bee.cli;

import dev.bee.core.BeeException;
import dev.bee.core.BeeHome;
import dev.bee.core.ErrorKind;
import dev.bee.core.image.ImageRef;
import dev.bee.core.image.container.BeeCode;
import dev.bee.core.image.container.ContainerImageBuilder;
import dev.bee.core.image.container.ContainerPackager;
import dev.bee.core.image.container.DaemonSetWriter;
import dev.bee.core.image.container.RunArguments;
import dev.bee.core.image.registry.RegistryClient;
import dev.bee.core.image.trust.TrustGate;
import dev.bee.core.io.Json;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code bee package REF IMAGE}: a container image that runs an eBPF image with bee run, and a DaemonSet. */
@Command(name = "package", header = "Package an eBPF image as a container image (and a DaemonSet).", description = {
        "Build a container image, with no Docker daemon, that runs the eBPF image REF",
        "as 'bee run --no-tty REF': the base image (a Java runtime with libbpf), bee's",
        "jar, and REF in a store inside the image, so it runs offline. Flags after --",
        "go into the entrypoint (--set, --filter, metrics flags...). Pushes IMAGE to its",
        "registry, or writes a docker load archive (--to-tar) or an OCI layout",
        "(--to-oci); --k8s also writes a DaemonSet. One input gives one image digest."})
final class PackageCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;

    @ParentCommand
    Main bee;

    @Mixin
    FormatOption format;

    @Mixin
    RegistryOption registry;

    @Mixin
    TrustOption trust;

    @Option(names = "--bake-trust", description = "Put the policy in effect, the --verify-key keys and REF's signatures"
            + " into the image, and make its bee run check them on every node (docs/packaging.md).")
    boolean bakeTrust;

    @Parameters(index = "0", paramLabel = "REF", description = "The eBPF image (local store; pulled when missing).")
    String ref;

    @Parameters(index = "1", paramLabel = "IMAGE", description = "The container image's name, e.g. localhost:5000/probes/opensnoop-pod:v1.")
    String image;

    @Parameters(index = "2..*", paramLabel = "RUN-FLAGS", description = "After --: bee run flags for the entrypoint.")
    List<String> runFlags = new ArrayList<>();

    @Option(names = "--base", paramLabel = "REF", defaultValue = "${env:BEE_BASE_IMAGE}",
            description = "Base image in a registry: a Java 17+ runtime and libbpf.so.1 (default: $BEE_BASE_IMAGE).")
    String base;

    @ArgGroup(exclusive = true)
    Output output;

    static final class Output {
        @Option(names = "--to-tar", paramLabel = "FILE", description = "Write a docker load / podman load archive instead of pushing.")
        Path tar;

        @Option(names = "--to-oci", paramLabel = "DIR", description = "Write into an OCI image layout folder instead of pushing.")
        Path oci;
    }

    @Option(names = "--k8s", paramLabel = "FILE", description = "Also write a DaemonSet manifest that runs IMAGE on every node.")
    Path k8s;

    @Option(names = "--k8s-name", paramLabel = "NAME", description = "The DaemonSet's name (default: IMAGE's last path component).")
    String k8sName;

    @Option(names = "--k8s-namespace", paramLabel = "NS", description = "The DaemonSet's namespace, created in the file "
            + "with the Pod Security label the pod needs (default: none; kubectl -n chooses).")
    String namespace;

    @Option(names = "--k8s-max-unavailable", paramLabel = "N|N%", defaultValue = "1",
            description = "Nodes updated at once in a rolling update (default: ${DEFAULT-VALUE}).")
    String maxUnavailable;

    @Option(names = "--k8s-priority-class", paramLabel = "NAME",
            description = "The pods' priorityClassName, e.g. system-node-critical (default: none).")
    String priorityClass;

    @Option(names = "--k8s-monitor", description = "Also write a Service and a Prometheus Operator PodMonitor.")
    boolean monitor;

    @Override
    public Integer call() {
        if (base == null || base.isBlank()) {
            throw new BeeException(ErrorKind.USAGE, "no base image: give --base REF or set BEE_BASE_IMAGE",
                    "a base is a Java 17+ runtime with libbpf.so.1 in a registry; docs/packaging.md shows how to make one");
        }
        ImageRef target = ImageRef.parse(image);
        if (target.digest() != null) {
            throw new BeeException(ErrorKind.USAGE, "IMAGE cannot be a digest reference: " + image,
                    "name it NAME:TAG; the digest is computed");
        }
        ContainerImageBuilder.Target to = output == null ? new ContainerImageBuilder.Registry(target)
                : output.tar != null ? new ContainerImageBuilder.Tar(output.tar, target)
                : new ContainerImageBuilder.OciLayout(output.oci, target);
        TrustGate gate = trust.gate(registry.options());
        if (bakeTrust && !gate.active()) {
            throw new BeeException(ErrorKind.USAGE, "--bake-trust: there is no policy and no --verify-key to bake",
                    "give --verify-key KEY or --policy FILE (or write policy.json in bee's folder)");
        }
        ContainerPackager packager = new ContainerPackager(bee.store(),
                () -> new RegistryClient(registry.options(), ProgressPrinter.forStderr("pulling")),
                new ContainerImageBuilder(registry.options(), ProgressPrinter.forStderr("pushing"),
                        ProgressPrinter.forStderr("pulling"), BeeHome.cache().resolve("jib"), version()),
                w -> System.err.println("bee: warning: " + w),
                gate.active() ? gate : RegistryClient.DigestCheck.NONE, bakeTrust ? gate : null);
        DaemonSetWriter.Options k8sOptions = new DaemonSetWriter.Options(k8sName, namespace, maxUnavailable,
                priorityClass, monitor);
        ContainerPackager.Result r = packager.pack(new ContainerPackager.Request(ref, ImageRef.parse(base), to,
                RunArguments.parse(runFlags), BeeCode.ofThisJvm(Main.class.getName()), created(), k8s, k8sOptions,
                version()));

        ContainerImageBuilder.Packaged p = r.image();
        if (format.json()) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("image", p.reference());
            out.put("digest", p.digest());
            out.put("imageId", p.imageId());
            out.put("target", p.target());
            out.put("base", ImageRef.parse(base).familiar());
            out.put("baseDigest", p.baseDigest());
            out.put("baseSize", p.baseSize() >= 0 ? p.baseSize() : null);
            out.put("program", r.program());
            out.put("programDigest", r.programDigest());
            out.put("entrypoint", r.entrypoint());
            out.put("k8s", r.k8s() == null ? null : r.k8s().toString());
            System.out.println(Json.pretty(out));
        } else {
            System.err.println("bee: packaged " + r.program() + " as " + p.target() + " on "
                    + ImageRef.parse(base).familiar() + (p.baseDigest() != null ? "@" + p.baseDigest() : "")
                    + " (base image " + (p.baseSize() >= 0 ? dev.bee.core.image.Digests.humanSize(p.baseSize()) : "size unknown") + ")");
            if (r.k8s() != null) {
                System.err.println("bee: wrote DaemonSet " + r.k8s() + " (kubectl apply -f " + r.k8s() + ")");
            }
            System.out.println(p.digest());
        }
        return 0;
    }

    /** bee's version from the jar manifest, else "development" (recorded in the image's history). */
    private static String version() {
        String v = PackageCommand.class.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
    }

    /** {@code SOURCE_DATE_EPOCH} when set (reproducible-builds.org), else 1970: fixed either way. */
    private static Instant created() {
        String epoch = System.getenv("SOURCE_DATE_EPOCH");
        if (epoch == null || epoch.isBlank()) {
            return Instant.EPOCH;
        }
        try {
            return Instant.ofEpochSecond(Long.parseLong(epoch.trim()));
        } catch (NumberFormatException e) {
            throw new BeeException(ErrorKind.USAGE, "SOURCE_DATE_EPOCH='" + epoch + "' is not a number of seconds",
                    "unset it, or set it to e.g. $(git log -1 --format=%ct)");
        }
    }
}
