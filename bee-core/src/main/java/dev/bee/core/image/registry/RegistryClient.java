package dev.bee.core.image.registry;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import dev.bee.core.image.Credentials;
import dev.bee.core.image.Descriptor;
import dev.bee.core.image.Digests;
import dev.bee.core.image.ImageFormats;
import dev.bee.core.image.ImageKind;
import dev.bee.core.image.ImageManifest;
import dev.bee.core.image.ImageRef;
import dev.bee.core.image.ImageStore;
import dev.bee.core.image.LocalImage;
import dev.bee.core.image.MediaTypes;
import dev.bee.core.image.Platform;
import dev.bee.core.image.RegistryOptions;
import dev.bee.core.image.Staging;
import dev.bee.core.image.TransferProgress;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Moves images between the local store and an OCI registry, over the OCI distribution API
 * ({@link RegistryHttp}). Pull verifies every document and blob against its digest and size before
 * anything is stored, checks that the image is an eBPF image bee can run, and only then names it in the
 * store; push sends blobs the registry lacks (a monolithic upload: POST, then PUT with the digest), then
 * the manifest's exact bytes, so the digest in the registry is the local one.
 *
 * <p>These few calls are bee's own rather than a registry library's: oras-java, which bee used before,
 * brought Jackson 3, Caffeine, Micrometer and the {@code java.net.http} client with its TLS set-up into
 * every push and pull (a push of a small image took 0.81 s, now 0.21 s), for requests bee already checked
 * itself (digests, sizes, bounds, time limits, errors). Docker credential helpers are run by
 * {@link HelperCredentials}.
 */
public final class RegistryClient {
    private final RegistryOptions options;
    private final TransferProgress progress;

    public RegistryClient(RegistryOptions options, TransferProgress progress) {
        this.options = options;
        this.progress = progress;
    }

    /** What a pull stored: the name, the manifest digest, the image kind and the platform chosen. */
    public record Pulled(String name, String digest, ImageKind kind, Platform platform, long bytes) {
    }

    /** What a push sent: the reference, the manifest digest, and blobs sent vs. already there. */
    public record Pushed(String reference, String digest, int blobsSent, int blobsSkipped) {
    }

    /**
     * Decides whether the image a reference resolved to may be used, before any of it is fetched or stored
     * (signature checks): throws to refuse. Given the digest of the very bytes the pull goes on with.
     */
    public interface DigestCheck {
        DigestCheck NONE = (ref, digest) -> { };

        void admit(ImageRef ref, String digest);
    }

    // ---- pull ----

    public Pulled pull(ImageStore store, ImageRef ref) {
        return pull(store, ref, DigestCheck.NONE);
    }

    /** Pulls {@code ref}, once {@code check} admitted the digest its tag (or digest) names. */
    public Pulled pull(ImageStore store, ImageRef ref, DigestCheck check) {
        String action = "pull " + ref.familiar();
        Session s = session(ref, action);
        try (Staging staging = store.stage()) {
            // The manifest, or an index to pick this machine's manifest from.
            String where = ref.familiar();
            Fetched top = s.document(ref.digest() != null ? ref.digest() : ref.tag(), ref.digest(), action, where);
            // Checked against these bytes, which the pull goes on with: the tag is not resolved again.
            check.admit(ref, Digests.sha256(top.raw));
            Platform platform = null;
            Fetched doc = top;
            if (ImageManifest.isIndex(top.raw, top.mediaType, where)) {
                Descriptor chosen = ImageManifest.selectPlatform(ImageManifest.indexEntries(top.raw, where),
                        Platform.host(), where);
                platform = chosen.platform();
                doc = s.document(chosen.digest(), chosen.digest(), action, where);
            }
            ImageManifest manifest = ImageManifest.parse(doc.raw, where);
            checkBounds(manifest, where);
            staging.put(doc.raw);
            long bytes = doc.raw.length;
            boolean kindChecked = false;
            for (Descriptor d : manifest.blobs()) {
                if (!kindChecked && d != manifest.config()) {
                    // The config tells whether this is an eBPF image bee runs: known before any layer is fetched.
                    ImageFormats.kind(manifest, staging.read(manifest.config().digest(), Digests.MAX_DOCUMENT), where);
                    kindChecked = true;
                }
                String what = label(manifest, d);
                if (staging.hardLinkIfStored(d.digest())) {
                    progress.done(what, d.digest(), d.size(), true);
                    continue;
                }
                progress.start(what, d.digest(), d.size());
                try (InputStream in = s.blob(d, action)) {
                    staging.put(in, d, what, progress::advance);
                } catch (IOException e) {
                    throw RegistryErrors.of(new UncheckedIOException(e), action, s.http.host, s.http.hasCredentials);
                }
                bytes += d.size();
                progress.done(what, d.digest(), d.size(), false);
            }
            // Only an image bee can run is stored: find its program now, inside the staged blobs.
            byte[] config = staging.read(manifest.config().digest(), Digests.MAX_DOCUMENT);
            ImageKind kind = ImageFormats.kind(manifest, config, where);
            ImageFormats.program(manifest, kind, config, d -> staging.read(d.digest(), Digests.MAX_LAYER), where);
            if (platform == null) {
                // A single manifest has no descriptor with a platform: the config carries it (bee's images).
                platform = Platform.ofConfig(config);
            }
            String mediaType = manifest.mediaType() != null ? manifest.mediaType()
                    : doc.mediaType != null && MediaTypes.isManifest(doc.mediaType) ? doc.mediaType : MediaTypes.OCI_MANIFEST;
            Descriptor descriptor = new Descriptor(mediaType, manifest.digest(), doc.raw.length, Map.of(), platform, null);
            String name = ref.familiar();
            staging.commit(name, descriptor);
            return new Pulled(name, manifest.digest(), kind, platform, bytes);
        }
    }

    /** Most blobs and bytes an eBPF image may declare: far past any real one, far short of a full disk. */
    static final int MAX_BLOBS = 64;
    static final long MAX_TOTAL_BYTES = 1L << 30;

    /** Refuses, before anything is fetched, a manifest that declares more than an eBPF image ever needs. */
    static void checkBounds(ImageManifest manifest, String where) {
        List<Descriptor> blobs = manifest.blobs();
        if (blobs.size() > MAX_BLOBS) {
            throw new BeeException(ErrorKind.INPUT, where + " declares " + blobs.size() + " blobs; an eBPF image has"
                    + " a few (bee takes at most " + MAX_BLOBS + "); nothing was fetched",
                    "check the reference: this does not look like an eBPF image");
        }
        long total = 0;
        for (Descriptor d : blobs) {
            if (d.size() < 0 || d.size() > Digests.MAX_LAYER) {
                throw new BeeException(ErrorKind.INPUT, where + " declares a blob of " + d.size() + " bytes (bee takes"
                        + " at most " + Digests.MAX_LAYER + " per blob); nothing was fetched",
                        "check the reference: this does not look like an eBPF image");
            }
            total += d.size();
        }
        if (total > MAX_TOTAL_BYTES) {
            throw new BeeException(ErrorKind.INPUT, where + " declares " + total + " bytes in all (bee takes at most "
                    + MAX_TOTAL_BYTES + "); nothing was fetched", "check the reference: this does not look like an eBPF image");
        }
    }

    // ---- push ----

    /** Pushes the local image {@code image} to {@code target} (its registry is the reference's domain). */
    public Pushed push(ImageStore store, LocalImage image, ImageRef target) {
        if (target.digest() != null) {
            throw new BeeException(ErrorKind.USAGE, "cannot push to a digest reference: " + target.familiar(),
                    "push to NAME:TAG; the registry computes the digest");
        }
        String action = "push " + target.familiar();
        Session s = session(target, action);
        int sent = 0;
        int skipped = 0;
        ImageManifest m = image.manifest();
        for (Descriptor d : m.blobs()) {
            String what = label(m, d);
            if (s.hasBlob(d.digest(), action)) {
                progress.done(what, d.digest(), d.size(), true);
                skipped++;
                continue;
            }
            Path file = store.blobPath(d.digest());
            progress.start(what, d.digest(), d.size());
            s.pushBlob(d, new RegistryHttp.Upload() {
                @Override
                public long size() {
                    return d.size();
                }

                @Override
                public InputStream open() {
                    return counting(file);
                }
            }, action);
            progress.done(what, d.digest(), d.size(), false);
            sent++;
        }
        progress.start("manifest " + Digests.shortForm(m.digest()), m.digest(), m.raw().length);
        // The manifest's exact bytes: the registry computes the same digest as the local one.
        s.pushManifest(target.tag(), m, action);
        progress.advance(m.raw().length);
        progress.done("manifest " + Digests.shortForm(m.digest()), m.digest(), m.raw().length, false);
        return new Pushed(target.familiar(), m.digest(), sent, skipped);
    }

    // ---- single documents and blobs (cosign signatures beside an image) ----

    /** A manifest as the registry holds it: its exact bytes, their digest and the media type it was served as. */
    public record Manifest(byte[] raw, String digest, String mediaType) {
    }

    /** The manifest or index {@code ref} names now (by its digest when it has one, else its tag). */
    public Manifest manifest(ImageRef ref) {
        String action = "resolve " + ref.familiar();
        Fetched f = session(ref, action).document(ref.digest() != null ? ref.digest() : ref.tag(), ref.digest(), action,
                ref.familiar());
        return new Manifest(f.raw, Digests.sha256(f.raw), f.mediaType);
    }

    /** The manifest tagged {@code tag} in {@code ref}'s repository, or empty when the registry has none. */
    public Optional<Manifest> manifestIfPresent(ImageRef ref, String tag) {
        String action = "read " + ref.withTag(tag).familiar();
        Session s = session(ref, action);
        try (RegistryHttp.Response r = s.http.send("GET", "/v2/" + ref.path() + "/manifests/" + tag,
                Map.of("Accept", RegistryHttp.MANIFEST_ACCEPT), null, Digests.MAX_DOCUMENT, action)) {
            if (r.status == 404) {
                return Optional.empty();
            }
            if (r.status != 200) {
                throw s.http.failure(r.status, action);
            }
            byte[] raw = r.bytes(Digests.MAX_DOCUMENT);
            if (raw == null) {
                throw new BeeException(ErrorKind.INPUT, "cannot " + action + ": the manifest is larger than "
                        + Digests.MAX_DOCUMENT + " bytes");
            }
            return Optional.of(new Manifest(raw, Digests.sha256(raw), RegistryHttp.mediaType(r)));
        } catch (IOException e) {
            throw s.io(e, action);
        }
    }

    /** A blob of {@code ref}'s repository, checked against {@code d}'s digest and size (the caller bounds the size). */
    public byte[] blob(ImageRef ref, Descriptor d) {
        String action = "read " + ref.repository() + "@" + d.digest();
        Session s = session(ref, action);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream((int) Math.min(d.size(), 1 << 16));
        try (InputStream in = s.blob(d, action)) {
            Digests.copyVerified(in, out, d.digest(), d.size(), "blob " + Digests.shortForm(d.digest()), null);
        } catch (IOException e) {
            throw s.io(e, action);
        }
        return out.toByteArray();
    }

    /** Uploads {@code content} to {@code ref}'s repository unless it is there already; returns its digest. */
    public String putBlob(ImageRef ref, byte[] content, String mediaType) {
        String action = "push to " + ref.repository();
        Session s = session(ref, action);
        Descriptor d = Descriptor.of(mediaType, Digests.sha256(content), content.length, Map.of());
        if (!s.hasBlob(d.digest(), action)) {
            s.pushBlob(d, bytes(content), action);
        }
        return d.digest();
    }

    /** Puts the manifest {@code raw} (its exact bytes) under {@code tag} in {@code ref}'s repository. */
    public void putManifest(ImageRef ref, String tag, byte[] raw) {
        String action = "push " + ref.withTag(tag).familiar();
        session(ref, action).pushManifest(tag, ImageManifest.parse(raw, ref.withTag(tag).familiar()), action);
    }

    private static RegistryHttp.Upload bytes(byte[] content) {
        return new RegistryHttp.Upload() {
            @Override
            public long size() {
                return content.length;
            }

            @Override
            public InputStream open() {
                return new java.io.ByteArrayInputStream(content);
            }
        };
    }

    private InputStream counting(Path file) {
        try {
            return new FilterInputStream(Files.newInputStream(file)) {
                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int n = super.read(b, off, len);
                    if (n > 0) {
                        progress.advance(n);
                    }
                    return n;
                }
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What progress lines call a blob: {@code config 0123456789ab} or {@code layer ...}. */
    private static String label(ImageManifest m, Descriptor d) {
        return (d == m.config() ? "config " : "layer ") + Digests.shortForm(d.digest());
    }

    // ---- one registry conversation ----

    private record Fetched(byte[] raw, String mediaType) {
    }

    private Session session(ImageRef ref, String action) {
        RegistryOptions resolved = RegistryTransport.resolve(ref.domain(), options);
        // Credentials on the command line (-u/-p, as BumbleBee takes them) before the stored ones.
        Optional<Credentials.Credential> cred = options.login() != null ? Optional.of(options.login())
                : Credentials.find(ref.domain(), options.authFile());
        Supplier<String> authorization = null;
        boolean hasCredentials = cred.isPresent();
        if (cred.isPresent()) {
            String basic = "Basic " + Base64.getEncoder().encodeToString((cred.get().username() + ":"
                    + cred.get().password()).getBytes(StandardCharsets.UTF_8));
            authorization = () -> basic;
        } else if (Credentials.usesHelpers(options.authFile())) {
            // Credential helpers (credsStore, credHelpers): HelperCredentials runs docker-credential-*.
            List<Path> files = Credentials.lookupFiles(options.authFile()).stream().filter(Files::isRegularFile).toList();
            authorization = () -> HelperCredentials.authorization(files, ref);
            hasCredentials = true;
        }
        return new Session(new RegistryHttp(ref.domain(), resolved, authorization, hasCredentials), ref.path());
    }

    /** One registry conversation about one repository. */
    private final class Session {
        final RegistryHttp http;
        private final String repository;

        Session(RegistryHttp http, String repository) {
            this.http = http;
            this.repository = repository;
        }

        /** A manifest or index, bounded in size and checked against {@code expectedDigest} when known. */
        Fetched document(String reference, String expectedDigest, String action, String image) {
            try (RegistryHttp.Response r = http.expect("GET", "/v2/" + repository + "/manifests/" + reference,
                    Map.of("Accept", RegistryHttp.MANIFEST_ACCEPT), null, Digests.MAX_DOCUMENT, action, 200)) {
                byte[] raw = r.bytes(Digests.MAX_DOCUMENT);
                if (raw == null) {
                    throw new BeeException(ErrorKind.INPUT, "cannot " + action + ": the manifest is larger than "
                            + Digests.MAX_DOCUMENT + " bytes; nothing was stored");
                }
                String actual = Digests.sha256(raw);
                for (String expected : new String[]{expectedDigest, r.header("Docker-Content-Digest")}) {
                    if (expected != null && expected.startsWith("sha256:") && !expected.equals(actual)) {
                        throw Digests.mismatch("the manifest of " + image, expected, actual);
                    }
                }
                return new Fetched(raw, RegistryHttp.mediaType(r));
            } catch (IOException e) {
                throw io(e, action);
            }
        }

        /** The blob {@code d}, its size (checked by the caller) also the bound of its download. */
        InputStream blob(Descriptor d, String action) {
            RegistryHttp.Response r = http.send("GET", "/v2/" + repository + "/blobs/" + d.digest(),
                    Map.of("Accept", "application/octet-stream"), null, d.size(), action);
            if (r.status != 200) {
                r.close();
                throw http.failure(r.status, action);
            }
            try {
                return r.body();
            } catch (IOException e) {
                throw io(e, action);
            }
        }

        boolean hasBlob(String digest, String action) {
            try (RegistryHttp.Response r = http.send("HEAD", "/v2/" + repository + "/blobs/" + digest, Map.of(), null,
                    RegistryHttp.NO_BODY, action)) {
                if (r.status == 404) {
                    return false;
                }
                if (r.status / 100 != 2) {
                    throw http.failure(r.status, action);
                }
                return true;
            }
        }

        /** A monolithic upload: a session (POST), then the whole blob with its digest (PUT). */
        void pushBlob(Descriptor d, RegistryHttp.Upload body, String action) {
            String location;
            try (RegistryHttp.Response r = http.expect("POST", "/v2/" + repository + "/blobs/uploads/",
                    Map.of("Content-Type", "application/octet-stream"), null, RegistryHttp.NO_BODY, action, 202)) {
                location = r.header("Location");
            }
            if (location == null) {
                throw new BeeException(ErrorKind.REGISTRY, "cannot " + action + ": " + http.host
                        + " gave no upload location");
            }
            String url = location + (location.contains("?") ? "&" : "?") + "digest=" + d.digest();
            http.expect("PUT", url, Map.of("Content-Type", "application/octet-stream"), body, RegistryHttp.NO_BODY, action,
                    201).close();
        }

        void pushManifest(String tag, ImageManifest m, String action) {
            String type = m.mediaType() != null ? m.mediaType() : MediaTypes.OCI_MANIFEST;
            RegistryHttp.Upload body = new RegistryHttp.Upload() {
                @Override
                public long size() {
                    return m.raw().length;
                }

                @Override
                public InputStream open() {
                    return new java.io.ByteArrayInputStream(m.raw());
                }
            };
            try (RegistryHttp.Response r = http.send("PUT", "/v2/" + repository + "/manifests/" + tag,
                    Map.of("Content-Type", type), body, RegistryHttp.NO_BODY, action)) {
                if (r.status / 100 != 2) {
                    throw http.failure(r.status, action);
                }
            }
        }

        private BeeException io(IOException e, String action) {
            return RegistryErrors.of(new UncheckedIOException(e), action, http.host, http.hasCredentials);
        }
    }
}
