package dev.bee.core.image.container;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import dev.bee.core.image.Digests;
import dev.bee.core.image.ImageRef;
import dev.bee.core.image.ImageStore;
import dev.bee.core.image.LocalImage;
import dev.bee.core.image.Platform;
import dev.bee.core.image.registry.ProgramSource;
import dev.bee.core.image.registry.RegistryClient;
import dev.bee.core.io.WriteError;
import dev.bee.core.image.trust.TrustBundle;
import dev.bee.core.image.trust.TrustGate;
import dev.bee.core.object.BpfObject;
import dev.bee.core.object.ObjectReader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * {@code bee package}: turns an eBPF image of the local store (pulled first when missing) into a
 * container image that runs it with {@code bee run}, offline, and optionally a DaemonSet for it. Reads
 * the object to label the image and to derive what the pod needs; the image itself is built by
 * {@link ContainerImageBuilder}, the manifest written by {@link DaemonSetWriter}.
 */
public final class ContainerPackager {
    private final ImageStore store;
    private final Supplier<RegistryClient> puller;
    private final ContainerImageBuilder builder;
    private final Consumer<String> warnings;
    private final RegistryClient.DigestCheck trust;
    private final TrustGate bake;

    /**
     * What to package.
     *
     * @param program   the eBPF image: a name, digest or reference in the store (pulled when missing)
     * @param base      the base image (a Java runtime with libbpf)
     * @param target    where the container image goes
     * @param run       the {@code bee run} flags baked into the entrypoint
     * @param code      bee's own code
     * @param created   the image's creation time
     * @param k8s       where to write a DaemonSet, or null
     * @param k8sOptions the DaemonSet's name, namespace, rollout and monitoring choices
     * @param beeVersion the version of the bee packaged (the DaemonSet's version label)
     */
    public record Request(String program, ImageRef base, ContainerImageBuilder.Target target, RunArguments run,
                          BeeCode code, Instant created, Path k8s, DaemonSetWriter.Options k8sOptions,
                          String beeVersion) {
    }

    /**
     * What was done.
     *
     * @param image         the container image built
     * @param program       the eBPF image's name inside the container (what {@code bee run} is given)
     * @param programDigest the eBPF image's manifest digest
     * @param entrypoint    the container's command
     * @param labels        the container image's labels
     * @param security      what a pod running it needs
     * @param k8s           the DaemonSet written, or null
     */
    public record Result(ContainerImageBuilder.Packaged image, String program, String programDigest,
                         List<String> entrypoint, java.util.Map<String, String> labels, PodSecurity security, Path k8s) {
    }

    /**
     * @param store    the local store the eBPF image is read from
     * @param puller   the registry client that pulls a missing eBPF image (null: never pull)
     * @param builder  builds and ships the container image
     * @param warnings receives one-line warnings for the person packaging
     */
    public ContainerPackager(ImageStore store, Supplier<RegistryClient> puller, ContainerImageBuilder builder,
                             Consumer<String> warnings) {
        this(store, puller, builder, warnings, RegistryClient.DigestCheck.NONE, null);
    }

    /**
     * As above, and {@code trust} admits the eBPF image's digest before it is pulled or read; {@code bake}, when
     * not null, is a gate whose policy, keys and the image's signatures go into the container, with the run
     * flags that make every node check them ({@link TrustBundle}).
     */
    public ContainerPackager(ImageStore store, Supplier<RegistryClient> puller, ContainerImageBuilder builder,
                             Consumer<String> warnings, RegistryClient.DigestCheck trust, TrustGate bake) {
        this.store = store;
        this.puller = puller;
        this.builder = builder;
        this.warnings = warnings;
        this.trust = trust;
        this.bake = bake;
    }

    public Result pack(Request r) {
        if (r.k8s() != null) {
            // Checked before anything is built: the manifest could not be written afterwards.
            DaemonSetWriter.checkOptions(r.run(), r.k8sOptions());
        }
        checkOutputs(r);
        LocalImage image = open(r.program());
        String name = image.name() != null ? image.name() : "program:" + Digests.shortForm(image.digest());
        BpfObject object = ObjectReader.read(name, store.objectBytes(image));
        java.util.Map<String, String> labels = ImageLabels.of(object, name, image.digest());
        Path work = tempDir();
        TrustBundle.Written baked;
        try {
            baked = bake == null ? null
                    : TrustBundle.write(bake, ImageRef.parse(name), image.digest(), work.resolve("home"), ContainerLayout.HOME);
        } catch (RuntimeException e) {
            delete(work);
            throw e;
        }
        ContainerSpec spec = ContainerSpec.of(r.code(), name, r.run(), labels,
                baked == null ? List.of() : baked.runFlags());
        PodSecurity security = PodSecurity.of(object, r.run());
        String architecture = image.platform() != null && image.platform().architecture() != null
                ? Platform.ociArch(image.platform().architecture()) : Platform.host().architecture();

        ContainerImageBuilder.Packaged packaged;
        try {
            Path storeDir = work.resolve("store");
            List<Path> files = StoreCopy.write(store, image, name, storeDir);
            packaged = builder.pack(new ContainerImageBuilder.Request(r.base(), r.target(), spec, r.code(), storeDir, files,
                    architecture, r.created(), work.resolve("home"), baked == null ? List.of() : baked.files()));
        } finally {
            delete(work);
        }

        if (r.k8s() != null) {
            if (r.run().metricsLocalOnly()) {
                warnings.accept("--prom-address " + r.run().metricsAddress() + " keeps /metrics inside the pod: the"
                        + " readiness probe and Prometheus cannot reach it");
            }
            ImageRef target = r.target().name();
            String podImage = r.target() instanceof ContainerImageBuilder.Registry
                    ? target.withDigest(packaged.digest()).familiar() : target.familiar();
            DaemonSetWriter.Options k8s = r.k8sOptions();
            String dsName = k8s.name() != null ? k8s.name() : DaemonSetWriter.nameFor(target.path());
            DaemonSetWriter.write(r.k8s(), new DaemonSetWriter.Spec(dsName, podImage, r.run(), security,
                    DaemonSetWriter.Resources.DEFAULT, k8s, r.beeVersion(), image.digest()));
        }
        return new Result(packaged, name, image.digest(), spec.entrypoint(), spec.labels(), security, r.k8s());
    }

    /** The DaemonSet and the image go to different places: one written over the other would lose it. */
    static void checkOutputs(Request r) {
        if (r.k8s() == null) {
            return;
        }
        Path k8s = r.k8s().toAbsolutePath().normalize();
        Path image = r.target() instanceof ContainerImageBuilder.Tar t ? t.file().toAbsolutePath().normalize()
                : r.target() instanceof ContainerImageBuilder.OciLayout o ? o.dir().toAbsolutePath().normalize() : null;
        if (image == null) {
            return;
        }
        boolean same = k8s.equals(image);
        if (!same && Files.exists(k8s) && Files.exists(image)) {
            try {
                same = Files.isSameFile(k8s, image);
            } catch (IOException e) {
                same = false;
            }
        }
        String option = r.target() instanceof ContainerImageBuilder.Tar ? "--to-tar" : "--to-oci";
        if (same) {
            throw new BeeException(ErrorKind.USAGE, "--k8s " + r.k8s() + " and " + option + " name the same file: one"
                    + " would overwrite the other", "write the DaemonSet to another file, e.g. --k8s daemonset.yaml");
        }
        if (r.target() instanceof ContainerImageBuilder.OciLayout && k8s.startsWith(image)) {
            throw new BeeException(ErrorKind.USAGE, "--k8s " + r.k8s() + " is inside the --to-oci folder " + image,
                    "write the DaemonSet outside the OCI layout");
        }
    }

    private LocalImage open(String program) {
        if (store.find(program).isEmpty()) {
            if (puller == null || !ImageRef.isValid(program)) {
                throw new BeeException(ErrorKind.NOT_FOUND, "no image " + program + " in " + store.root(),
                        "build one with 'bee build PROG.c NAME:TAG', or 'bee list' to see what is there");
            }
            puller.get().pull(store, ImageRef.parse(program), trust);
            return store.open(program);
        }
        LocalImage image = store.open(program);
        if (trust != RegistryClient.DigestCheck.NONE) {
            trust.admit(ProgramSource.storedRef(program, image), image.digest());
        }
        return image;
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("bee-package-");
        } catch (IOException e) {
            throw WriteError.of(Path.of(System.getProperty("java.io.tmpdir")), e,
                    "point java.io.tmpdir at a writable folder (JAVA_TOOL_OPTIONS=-Djava.io.tmpdir=DIR)");
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // best effort: a temp folder
        }
    }
}
