package dev.bee.core.image.container;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.api.buildplan.Port;
import com.google.cloud.tools.jib.frontend.CredentialRetrieverFactory;
import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import dev.bee.core.image.Credentials;
import dev.bee.core.image.ImageRef;
import dev.bee.core.image.RegistryOptions;
import dev.bee.core.image.TransferProgress;
import dev.bee.core.io.AtomicFiles;
import dev.bee.core.io.WriteError;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Builds the container image of a packaged eBPF program with Jib (no container engine): the base
 * image's layers, then bee's code ({@link BeeCode}: dependencies, then bee), then the eBPF image's
 * store ({@link StoreCopy}), with {@link ContainerSpec}'s entrypoint, environment, labels and port.
 * Layers are reproducible (entries sorted, owner root, fixed times) and the creation time is fixed,
 * so the same base digest and input give the same image digest. Targets: a registry (OCI format), a
 * {@code docker load} archive (Docker format), or an OCI image layout folder (OCI format, the digest a
 * registry gets).
 */
public final class ContainerImageBuilder {
    /** Where the image goes. */
    public sealed interface Target permits Registry, Tar, OciLayout {
        /** The image's name: the registry reference, or the name given in the archive or layout. */
        ImageRef name();
    }

    /** Pushed to the registry {@code name} points at. */
    public record Registry(ImageRef name) implements Target {
    }

    /** A {@code docker save} archive that {@code docker load} and {@code podman load} read. */
    public record Tar(Path file, ImageRef name) implements Target {
    }

    /** An OCI image layout folder ({@code skopeo ... oci:DIR:NAME}); an existing layout keeps its other images. */
    public record OciLayout(Path dir, ImageRef name) implements Target {
    }

    /**
     * What to build.
     *
     * @param base         the base image in a registry: a Java runtime with libbpf
     * @param target       where the image goes
     * @param spec         entrypoint, environment, labels, ports
     * @param code         bee's own code
     * @param store        the eBPF image's store folder ({@link StoreCopy}) and its files
     * @param architecture OCI architecture of the image (the eBPF object's)
     * @param created      the image's creation time (fixed, for reproducible digests)
     * @param home         a folder laid out as bee's own ({@link ContainerLayout#HOME}): the baked trust files
     * @param homeFiles    its files, relative to it (none: no such layer)
     */
    public record Request(ImageRef base, Target target, ContainerSpec spec, BeeCode code, Path store,
                          List<Path> storeFiles, String architecture, Instant created, Path home, List<Path> homeFiles) {
        public Request(ImageRef base, Target target, ContainerSpec spec, BeeCode code, Path store,
                       List<Path> storeFiles, String architecture, Instant created) {
            this(base, target, spec, code, store, storeFiles, architecture, created, null, List.of());
        }
    }

    /**
     * What was built.
     *
     * @param digest     the manifest digest (for a registry and an OCI layout: what pulls see)
     * @param imageId    the config digest (what {@code docker images} shows as the id)
     * @param reference  the image's name
     * @param target     where it went: the registry reference, or the file or folder
     * @param baseDigest the base image's manifest digest (null when Jib did not say)
     */
    public record Packaged(String digest, String imageId, String reference, String target, String baseDigest) {
    }

    private static final Instant FILE_TIME = FileEntriesLayer.DEFAULT_MODIFICATION_TIME;
    private static final FilePermissions FILE_MODE = FilePermissions.fromOctalString("644");

    private final RegistryOptions options;
    private final TransferProgress pushes;
    private final TransferProgress pulls;
    private final Path cache;
    private final String toolVersion;

    /**
     * @param options  how to reach registries (--plain-http, --insecure, credentials file)
     * @param pushes   where blob pushes are reported
     * @param pulls    where pulls of base image layers are reported (for archive and layout targets)
     * @param cache    Jib's layer caches go below this folder
     * @param version  bee's version, recorded in the image's history
     */
    public ContainerImageBuilder(RegistryOptions options, TransferProgress pushes, TransferProgress pulls, Path cache,
                                 String version) {
        this.options = options;
        this.pushes = pushes;
        this.pulls = pulls;
        this.cache = cache;
        this.toolVersion = version;
    }

    public Packaged pack(Request r) {
        String action = "package " + r.target().name().familiar();
        JibProgress events = new JibProgress(pushes, pulls);
        try {
            JibContainerBuilder builder = Jib.from(registryImage(r.base(), events))
                    .setFormat(r.target() instanceof Tar ? ImageFormat.Docker : ImageFormat.OCI)
                    .setPlatforms(Set.of(new com.google.cloud.tools.jib.api.buildplan.Platform(r.architecture(), "linux")))
                    .setCreationTime(r.created())
                    .setFileEntriesLayers(layers(r))
                    .setEntrypoint(r.spec().entrypoint())
                    .setProgramArguments(List.of())
                    .setEnvironment(r.spec().environment())
                    .setLabels(r.spec().labels());
            Set<Port> ports = new LinkedHashSet<>();
            r.spec().ports().forEach(p -> ports.add(Port.tcp(p)));
            builder.setExposedPorts(ports);
            if (options.plainHttp()) {
                // As bee push does over --plain-http: Jib otherwise refuses to send credentials without TLS.
                System.setProperty("sendCredentialsOverHttp", "true");
            }
            if (r.target() instanceof Tar tar) {
                return toTar(builder, tar, events);
            }
            if (r.target() instanceof OciLayout oci) {
                return toOciLayout(builder, oci, r.architecture(), events);
            }
            ImageRef name = r.target().name();
            JibContainer c = builder.containerize(containerizer(Containerizer.to(registryImage(name, events)), events));
            return new Packaged(c.getDigest().toString(), c.getImageId().toString(), name.familiar(), name.canonical(),
                    events.baseDigest());
        } catch (BeeException e) {
            throw e;
        } catch (Exception e) {
            throw JibErrors.of(e, action, r.base().familiar());
        }
    }

    private Packaged toTar(JibContainerBuilder builder, Tar tar, JibProgress events) throws Exception {
        Path file = tar.file().toAbsolutePath();
        Path tmp;
        try {
            tmp = AtomicFiles.tempFor(file); // mode by the umask, as the archive will have
        } catch (IOException e) {
            throw WriteError.of(file, e, "choose another path for --to-tar");
        }
        try {
            JibContainer c = builder.containerize(containerizer(Containerizer.to(TarImage.at(tmp).named(jibRef(tar.name()))),
                    events));
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return new Packaged(c.getDigest().toString(), c.getImageId().toString(), tar.name().familiar(), file.toString(),
                    events.baseDigest());
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private Packaged toOciLayout(JibContainerBuilder builder, OciLayout oci, String architecture, JibProgress events) throws Exception {
        Path dir = oci.dir().toAbsolutePath();
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new BeeException(ErrorKind.USAGE, "--to-oci " + dir + " is a file", "give a folder (new, or an OCI layout)");
        }
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir.getParent(), ".bee-oci-", ".tar");
        try {
            JibContainer c = builder.containerize(containerizer(Containerizer.to(TarImage.at(tmp).named(jibRef(oci.name()))),
                    events));
            String name = oci.name().familiar();
            OciTarImport.into(tmp, dir, name, architecture);
            return new Packaged(c.getDigest().toString(), c.getImageId().toString(), name, dir + ":" + name,
                    events.baseDigest());
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private Containerizer containerizer(Containerizer c, JibProgress events) {
        return c.setAllowInsecureRegistries(options.plainHttp() || options.insecure())
                .setToolName("bee")
                .setToolVersion(toolVersion)
                .setBaseImageLayersCache(cache.resolve("base"))
                .setApplicationLayersCache(cache.resolve("app"))
                .addEventHandler(events);
    }

    /** bee's code (dependencies first: they change least), then the eBPF image's store. */
    static List<FileEntriesLayer> layers(Request r) throws IOException {
        List<FileEntriesLayer> layers = new ArrayList<>();
        for (String layer : List.of(BeeCode.DEPENDENCIES_LAYER, BeeCode.BEE_LAYER)) {
            FileEntriesLayer.Builder b = FileEntriesLayer.builder().setName(layer);
            boolean any = false;
            for (BeeCode.FileCopy f : r.code().files()) {
                if (!f.layer().equals(layer)) {
                    continue;
                }
                any = true;
                if (Files.isDirectory(f.source())) {
                    b.addEntryRecursive(f.source(), AbsoluteUnixPath.get(f.target()));
                } else {
                    b.addEntry(f.source(), AbsoluteUnixPath.get(f.target()), FILE_MODE, FILE_TIME);
                }
            }
            if (any) {
                layers.add(b.build());
            }
        }
        FileEntriesLayer.Builder store = FileEntriesLayer.builder().setName("ebpf-image");
        for (Path rel : r.storeFiles()) {
            store.addEntry(r.store().resolve(rel), AbsoluteUnixPath.get(ContainerLayout.STORE + "/" + unix(rel)),
                    FILE_MODE, FILE_TIME);
        }
        layers.add(store.build());
        if (!r.homeFiles().isEmpty()) {
            FileEntriesLayer.Builder home = FileEntriesLayer.builder().setName("trust");
            for (Path rel : r.homeFiles()) {
                home.addEntry(r.home().resolve(rel), AbsoluteUnixPath.get(ContainerLayout.HOME + "/" + unix(rel)),
                        FILE_MODE, FILE_TIME);
            }
            layers.add(home.build());
        }
        return layers;
    }

    private static String unix(Path rel) {
        List<String> parts = new ArrayList<>();
        rel.forEach(p -> parts.add(p.toString()));
        return String.join("/", parts);
    }

    private RegistryImage registryImage(ImageRef ref, JibProgress events) {
        ImageReference jib = jibRef(ref);
        RegistryImage image = RegistryImage.named(jib);
        Optional<Credentials.Credential> cred = Credentials.find(ref.domain(), options.authFile());
        if (cred.isPresent()) {
            image.addCredential(cred.get().username(), cred.get().password());
        } else if (Credentials.usesHelpers(options.authFile())) {
            CredentialRetrieverFactory f = CredentialRetrieverFactory.forImage(jib, events::accept);
            for (Path file : Credentials.lookupFiles(options.authFile())) {
                if (Files.isRegularFile(file)) {
                    image.addCredentialRetriever(f.dockerConfig(file));
                }
            }
        }
        return image;
    }

    static ImageReference jibRef(ImageRef ref) {
        return ImageReference.of(ref.domain(), ref.path(), ref.tag(), ref.digest());
    }
}
