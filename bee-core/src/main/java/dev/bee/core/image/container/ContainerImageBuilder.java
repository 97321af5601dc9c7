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
import com.google.cloud.tools.jib.cache.Cache;
import com.google.cloud.tools.jib.image.json.BuildableManifestTemplate;
import com.google.cloud.tools.jib.image.json.ContainerConfigurationTemplate;
import com.google.cloud.tools.jib.image.json.ImageMetadataTemplate;
import com.google.cloud.tools.jib.image.json.ManifestAndConfigTemplate;
import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import dev.bee.core.image.Credentials;
import dev.bee.core.image.ImageRef;
import dev.bee.core.image.RegistryOptions;
import dev.bee.core.image.TransferProgress;
import dev.bee.core.image.registry.HelperCredentials;
import dev.bee.core.image.registry.RegistryTransport;
import dev.bee.core.io.AtomicFiles;
import dev.bee.core.io.WriteError;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * Builds the container image of a packaged eBPF program with Jib (no container engine): the base
 * image's layers, then bee's code ({@link BeeCode}: dependencies, then bee), then the eBPF image's
 * store ({@link StoreCopy}), with {@link ContainerSpec}'s entrypoint, environment, labels and port.
 * Layers are reproducible (entries sorted, owner root, fixed times) and the creation time is fixed,
 * so the same base digest and input give the same image digest. Targets: a registry (OCI format), a
 * {@code docker load} archive (Docker format), or an OCI image layout folder (OCI format, the digest a
 * registry gets).
 *
 * <p>Registries are reached by the rules push and pull follow: plain HTTP with {@code --plain-http} or for a
 * loopback registry that does not speak TLS ({@link RegistryTransport}), {@code --insecure}, credentials from
 * the same files and helpers ({@link HelperCredentials}), and {@code --timeout} for every wait. Jib takes the
 * last two as system properties (read per request), so they are set for the build and put back after it.
 * A file or folder target appears whole or not at all ({@link PartialOutputs}).
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
     * @param baseSize   the base image's size in bytes, its layers as stored in the registry (compressed); -1
     *                   when unknown
     */
    public record Packaged(String digest, String imageId, String reference, String target, String baseDigest,
                           long baseSize) {
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
            // Outputs bee must not write are refused before any registry is asked.
            boolean ociExisting = r.target() instanceof OciLayout oci && checkOciFolder(oci.dir().toAbsolutePath().normalize());
            Registries registries = registries(r);
            JibContainerBuilder builder = Jib.from(registryImage(r.base(), registries))
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
            Packaged p = withJibProperties(registries, () -> {
                if (r.target() instanceof Tar tar) {
                    return toTar(builder, tar, events, registries);
                }
                if (r.target() instanceof OciLayout oci) {
                    return toOciLayout(builder, oci, ociExisting, r.architecture(), events, registries);
                }
                ImageRef name = r.target().name();
                JibContainer c = builder.containerize(containerizer(Containerizer.to(registryImage(name, registries)),
                        events, registries));
                return new Packaged(c.getDigest().toString(), c.getImageId().toString(), name.familiar(),
                        name.canonical(), events.baseDigest(), -1);
            });
            return new Packaged(p.digest(), p.imageId(), p.reference(), p.target(), p.baseDigest(),
                    baseSize(r.base(), r.architecture()));
        } catch (BeeException e) {
            throw e;
        } catch (Exception e) {
            throw JibErrors.of(e, action, r.base().familiar(), options.timeout());
        }
    }

    /**
     * How this build reaches its registries: plain HTTP when {@code --plain-http} says so or a loopback
     * registry has no TLS, and each registry's credentials.
     *
     * @param insecure    whether Jib may leave TLS checks (and fall back to plain HTTP): Jib has one switch for
     *                    all the registries of a build
     * @param plainHttp   whether a registry is reached over plain HTTP
     * @param credentials each registry's credentials, by host
     */
    record Registries(boolean insecure, boolean plainHttp, Map<String, Credentials.Credential> credentials) {
    }

    private Registries registries(Request r) {
        Map<String, Boolean> plain = new LinkedHashMap<>();
        plain.put(r.base().domain(), false);
        if (r.target() instanceof Registry) {
            plain.put(r.target().name().domain(), false);
        }
        Map<String, Credentials.Credential> credentials = new HashMap<>();
        for (String host : plain.keySet()) {
            plain.put(host, RegistryTransport.resolve(host, options).plainHttp());
            HelperCredentials.forRegistry(host, options).ifPresent(c -> credentials.put(host, c));
        }
        boolean anyPlain = plain.containsValue(true);
        if (anyPlain && plain.containsValue(false) && !options.plainHttp() && !options.insecure()) {
            // Jib relaxes TLS for every registry of a build or none: that is the user's call, not bee's.
            List<String> hosts = plain.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey).toList();
            throw new BeeException(ErrorKind.USAGE, "the base image's registry and IMAGE's differ, and " + hosts
                    + " speaks plain HTTP: bee package cannot use plain HTTP with one registry and checked TLS with"
                    + " the other", "put the base image into IMAGE's registry, or accept plain HTTP and unchecked TLS"
                    + " for both with --plain-http");
        }
        return new Registries(anyPlain || options.insecure(), anyPlain, Map.copyOf(credentials));
    }

    /**
     * Runs {@code build} with Jib's per-request settings: the time limit, and whether credentials may go over
     * plain HTTP (only when bee chose plain HTTP for a registry it has credentials for, as push does).
     */
    private <T> T withJibProperties(Registries registries, Callable<T> build) throws Exception {
        Map<String, String> set = new LinkedHashMap<>();
        set.put("jib.httpTimeout", Long.toString(Math.max(1, Math.min(Integer.MAX_VALUE, options.timeout().toMillis()))));
        if (registries.plainHttp() && !registries.credentials().isEmpty()) {
            set.put("sendCredentialsOverHttp", "true");
        }
        Map<String, String> before = new HashMap<>();
        synchronized (ContainerImageBuilder.class) {
            set.forEach((k, v) -> before.put(k, System.setProperty(k, v)));
        }
        try {
            return build.call();
        } finally {
            synchronized (ContainerImageBuilder.class) {
                before.forEach((k, v) -> {
                    if (v == null) {
                        System.clearProperty(k);
                    } else {
                        System.setProperty(k, v);
                    }
                });
            }
        }
    }

    private Packaged toTar(JibContainerBuilder builder, Tar tar, JibProgress events, Registries registries)
            throws Exception {
        Path file = tar.file().toAbsolutePath().normalize();
        if (Files.isDirectory(file)) {
            throw new BeeException(ErrorKind.USAGE, "--to-tar " + file + " is a folder", "give a file name");
        }
        Path tmp;
        try {
            tmp = AtomicFiles.tempFor(file); // mode by the umask, as the archive will have; swept if killed
        } catch (IOException e) {
            throw WriteError.of(file, e, "choose another path for --to-tar");
        }
        try {
            JibContainer c = builder.containerize(containerizer(Containerizer.to(TarImage.at(tmp).named(jibRef(tar.name()))),
                    events, registries));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return new Packaged(c.getDigest().toString(), c.getImageId().toString(), tar.name().familiar(), file.toString(),
                    events.baseDigest(), -1);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private Packaged toOciLayout(JibContainerBuilder builder, OciLayout oci, boolean existing, String architecture,
                                 JibProgress events, Registries registries) throws Exception {
        Path dir = oci.dir().toAbsolutePath().normalize();
        Files.createDirectories(dir.getParent());
        PartialOutputs.sweep(dir);
        // A new layout is written beside DIR and renamed into place; an existing one takes the image through
        // its store's staging. Either way DIR never holds half an image, and Jib's tar lives in the work folder.
        Path work = PartialOutputs.folder(dir);
        try {
            Path tmp = work.resolve("image.tar");
            JibContainer c = builder.containerize(containerizer(Containerizer.to(TarImage.at(tmp).named(jibRef(oci.name()))),
                    events, registries));
            String name = oci.name().familiar();
            if (existing) {
                OciTarImport.into(tmp, dir, name, architecture);
                Files.delete(tmp);
            } else {
                Path layout = work.resolve("layout");
                OciTarImport.into(tmp, layout, name, architecture);
                Files.delete(tmp);
                Files.move(layout, dir, StandardCopyOption.ATOMIC_MOVE); // rename(2) replaces an empty folder
            }
            return new Packaged(c.getDigest().toString(), c.getImageId().toString(), name, dir + ":" + name,
                    events.baseDigest(), -1);
        } finally {
            PartialOutputs.delete(work);
        }
    }

    /**
     * Whether {@code dir} is an OCI layout to add to (true) or new (false: absent or empty). Anything else is
     * refused rather than mixed with bee's files: a file, or a folder with content but no {@code oci-layout}
     * (its own {@code index.json} would be overwritten).
     */
    static boolean checkOciFolder(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return false;
        }
        if (!Files.isDirectory(dir)) {
            throw new BeeException(ErrorKind.USAGE, "--to-oci " + dir + " is a file", "give a folder (new, or an OCI layout)");
        }
        if (Files.isRegularFile(dir.resolve("oci-layout"))) {
            return true;
        }
        try (var entries = Files.list(dir)) {
            if (entries.findAny().isEmpty()) {
                return false;
            }
        }
        String has = Files.exists(dir.resolve("index.json")) ? "an index.json" : "files";
        throw new BeeException(ErrorKind.USAGE, "--to-oci " + dir + " holds " + has + " but is not an OCI image layout"
                + " (no oci-layout file): bee would overwrite what is there",
                "give a new or empty folder, or an OCI layout folder");
    }

    private Containerizer containerizer(Containerizer c, JibProgress events, Registries registries) {
        return c.setAllowInsecureRegistries(registries.insecure())
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

    /**
     * The size of the base image Jib used (its layers, compressed, as the registry stores them), from the
     * manifest and config Jib keeps in its base image cache; -1 when that cannot be read.
     */
    private long baseSize(ImageRef base, String architecture) {
        try {
            Optional<ImageMetadataTemplate> meta = Cache.withDirectory(cache.resolve("base")).retrieveMetadata(jibRef(base));
            if (meta.isEmpty()) {
                return -1;
            }
            List<ManifestAndConfigTemplate> images = meta.get().getManifestsAndConfigs();
            for (ManifestAndConfigTemplate m : images) {
                ContainerConfigurationTemplate config = m.getConfig();
                boolean platform = config != null && architecture.equals(config.getArchitecture())
                        && "linux".equals(config.getOs());
                if ((platform || images.size() == 1) && m.getManifest() instanceof BuildableManifestTemplate manifest) {
                    long size = 0;
                    for (BuildableManifestTemplate.ContentDescriptorTemplate layer : manifest.getLayers()) {
                        size += layer.getSize();
                    }
                    return size;
                }
            }
            return -1;
        } catch (Exception e) {
            return -1; // a figure to show, not a reason to fail a package that succeeded
        }
    }

    /** {@code ref} with the credentials bee found for its registry (as push and pull find them). */
    private static RegistryImage registryImage(ImageRef ref, Registries registries) {
        RegistryImage image = RegistryImage.named(jibRef(ref));
        Credentials.Credential c = registries.credentials().get(ref.domain());
        if (c != null) {
            image.addCredential(c.username(), c.password());
        }
        return image;
    }

    static ImageReference jibRef(ImageRef ref) {
        return ImageReference.of(ref.domain(), ref.path(), ref.tag(), ref.digest());
    }
}
