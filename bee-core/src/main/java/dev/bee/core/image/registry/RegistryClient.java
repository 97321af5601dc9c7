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
import dev.bee.core.image.TransferProgress;
import land.oras.ContainerRef;
import land.oras.Manifest;
import land.oras.Registry;
import land.oras.auth.AuthStore;
import land.oras.auth.AuthStoreAuthenticationProvider;
import land.oras.auth.NoAuthProvider;
import land.oras.auth.UsernamePasswordProvider;
import land.oras.exception.OrasException;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Moves images between the local store and an OCI registry, through oras-java. Pull verifies every
 * document and blob against its digest and size before anything is stored, checks that the image
 * is an eBPF image bee can run, and only then names it in the store; push sends blobs the
 * registry lacks, then the manifest's exact bytes, so the digest in the registry is the local one.
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

    // ---- pull ----

    public Pulled pull(ImageStore store, ImageRef ref) {
        String action = "pull " + ref.familiar();
        Session s = session(ref, action);
        try (ImageStore.Staging staging = store.stage()) {
            // The manifest, or an index to pick this machine's manifest from.
            String where = ref.familiar();
            Fetched top = s.document(s.ref, ref.digest(), action, where);
            Platform platform = null;
            Fetched doc = top;
            if (ImageManifest.isIndex(top.raw, top.mediaType, where)) {
                Descriptor chosen = ImageManifest.selectPlatform(ImageManifest.indexEntries(top.raw, where),
                        Platform.host(), where);
                platform = chosen.platform();
                doc = s.document(s.ref.withDigest(chosen.digest()), chosen.digest(), action, where);
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
                if (staging.has(d.digest())) {
                    progress.done(what, d.digest(), d.size(), true);
                    continue;
                }
                progress.start(what, d.digest(), d.size());
                try (InputStream in = s.blob(d.digest(), action)) {
                    staging.put(in, d, what, progress::advance);
                } catch (IOException e) {
                    throw RegistryErrors.of(new UncheckedIOException(e), action, s.host, s.hasCredentials);
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
            ContainerRef blobRef = s.ref.withDigest(d.digest());
            if (s.hasBlob(blobRef, action)) {
                progress.done(what, d.digest(), d.size(), true);
                skipped++;
                continue;
            }
            Path file = store.blobPath(d.digest());
            progress.start(what, d.digest(), d.size());
            s.call(action, () -> s.registry.pushBlob(blobRef, d.size(), () -> counting(file), Map.of()));
            progress.done(what, d.digest(), d.size(), false);
            sent++;
        }
        progress.start("manifest " + Digests.shortForm(m.digest()), m.digest(), m.raw().length);
        // Manifest.fromJson keeps the exact bytes, and oras-java pushes those: same digest as local.
        s.call(action, () -> s.registry.pushManifest(s.ref,
                Manifest.fromJson(new String(m.raw(), StandardCharsets.UTF_8))));
        progress.advance(m.raw().length);
        progress.done("manifest " + Digests.shortForm(m.digest()), m.digest(), m.raw().length, false);
        return new Pushed(target.familiar(), m.digest(), sent, skipped);
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
        Registry.Builder b = Registry.builder();
        if (RegistryTransport.resolve(ref.domain(), options).plainHttp()) {
            b.withInsecure(true);
        }
        if (options.insecure()) {
            b.withSkipTlsVerify(true);
        }
        // Credentials on the command line (-u/-p, as BumbleBee takes them) before the stored ones.
        Optional<Credentials.Credential> cred = options.login() != null ? Optional.of(options.login())
                : Credentials.find(ref.domain(), options.authFile());
        boolean hasCredentials = cred.isPresent();
        if (cred.isPresent()) {
            b.withAuthProvider(new UsernamePasswordProvider(cred.get().username(), cred.get().password()));
        } else if (Credentials.usesHelpers(options.authFile())) {
            // Credential helpers (credsStore, credHelpers): oras-java runs docker-credential-*.
            List<Path> files = Credentials.lookupFiles(options.authFile()).stream().filter(Files::isRegularFile).toList();
            b.withAuthProvider(new AuthStoreAuthenticationProvider(AuthStore.newStore(files)));
            hasCredentials = true;
        } else {
            b.withAuthProvider(new NoAuthProvider());
        }
        Registry registry = b.build();
        ContainerRef cref = ContainerRef.parse(ref.domain() + "/" + ref.path()
                + (ref.tag() != null ? ":" + ref.tag() : "") + (ref.digest() != null ? "@" + ref.digest() : ""));
        return new Session(registry, cref, ref.domain(), hasCredentials, new Deadline(options.timeout(), ref.domain()));
    }

    private static final class Session {
        final Registry registry;
        final ContainerRef ref;
        final String host;
        final boolean hasCredentials;
        final Deadline deadline;

        Session(Registry registry, ContainerRef ref, String host, boolean hasCredentials, Deadline deadline) {
            this.registry = registry;
            this.ref = ref;
            this.host = host;
            this.hasCredentials = hasCredentials;
            this.deadline = deadline;
        }

        /** A manifest or index, bounded in size and checked against {@code expectedDigest} when known. */
        Fetched document(ContainerRef r, String expectedDigest, String action, String image) {
            land.oras.Descriptor d = call(action, () -> registry.getDescriptor(r));
            String json = d.getJson();
            if (json == null) {
                throw new BeeException(ErrorKind.REGISTRY, "cannot " + action + ": " + host + " sent no manifest");
            }
            byte[] raw = json.getBytes(StandardCharsets.UTF_8);
            if (raw.length > Digests.MAX_DOCUMENT) {
                throw new BeeException(ErrorKind.INPUT, "cannot " + action + ": the manifest is larger than "
                        + Digests.MAX_DOCUMENT + " bytes; nothing was stored");
            }
            String actual = Digests.sha256(raw);
            for (String expected : new String[]{expectedDigest, d.getDigest()}) {
                if (expected != null && expected.startsWith("sha256:") && !expected.equals(actual)) {
                    throw Digests.mismatch("the manifest of " + image, expected, actual);
                }
            }
            String mediaType = d.getMediaType();
            if (mediaType != null && mediaType.contains(";")) {
                mediaType = mediaType.substring(0, mediaType.indexOf(';')).trim();
            }
            return new Fetched(raw, mediaType);
        }

        InputStream blob(String digest, String action) {
            return deadline.guard(call(action, () -> registry.fetchBlob(ref.withDigest(digest))), action);
        }

        /**
         * One call to the registry within the timeout; its failures become registry errors that say what
         * to do (bee's own, such as the timeout's, pass as they are).
         */
        <T> T call(String action, java.util.function.Supplier<T> c) {
            try {
                return deadline.call(action, c);
            } catch (BeeException e) {
                throw e;
            } catch (RuntimeException e) {
                throw RegistryErrors.of(e, action, host, hasCredentials);
            }
        }

        boolean hasBlob(ContainerRef blobRef, String action) {
            try {
                deadline.call(action, () -> registry.fetchBlobDescriptor(blobRef));
                return true;
            } catch (BeeException e) {
                throw e;
            } catch (OrasException e) {
                if (e.getStatusCode() == 404) {
                    return false;
                }
                throw RegistryErrors.of(e, action, host, hasCredentials);
            } catch (RuntimeException e) {
                throw RegistryErrors.of(e, action, host, hasCredentials);
            }
        }
    }
}
