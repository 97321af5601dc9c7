package dev.bee.core.image.trust;

import dev.bee.core.BeeException;
import dev.bee.core.BeeHome;
import dev.bee.core.ErrorKind;
import dev.bee.core.image.Descriptor;
import dev.bee.core.image.Digests;
import dev.bee.core.image.ImageManifest;
import dev.bee.core.image.ImageRef;
import dev.bee.core.image.ImageStore;
import dev.bee.core.image.MediaTypes;
import dev.bee.core.image.Staging;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Signatures kept on this machine, for images verified where no registry is reachable (a packaged container
 * runs offline): an OCI image layout, {@code signatures/} in bee's folder, holding each signature manifest
 * under its registry name ({@code REPOSITORY:sha256-<hex>.sig}) with its payloads. What is read here is
 * verified exactly as what a registry serves: a copy proves nothing by being here.
 */
public final class StoredSignatures implements SignatureSource {
    public static final String FOLDER = "signatures";
    private final Path dir;

    public StoredSignatures(Path dir) {
        this.dir = dir;
    }

    /** {@code signatures/} in bee's folder. */
    public static Path defaultDir() {
        return BeeHome.root().resolve(FOLDER);
    }

    @Override
    public Optional<Found> find(ImageRef ref, String tag) {
        if (!Files.isRegularFile(dir.resolve("index.json"))) {
            return Optional.empty();
        }
        ImageStore store = new ImageStore(dir);
        return store.find(ref.withTag(tag).canonical()).map(e -> new Found(
                store.readBlob(e.digest(), Digests.MAX_DOCUMENT), d -> blob(store, d), dir.toString()));
    }

    private static byte[] blob(ImageStore store, Descriptor d) {
        byte[] b = store.readBlob(d.digest(), Math.min(d.size(), SignatureVerifier.MAX_PAYLOAD));
        if (b.length != d.size() || !Digests.sha256(b).equals(d.digest())) {
            throw new BeeException(ErrorKind.INPUT, "stored signature blob " + Digests.shortForm(d.digest())
                    + " does not match its digest");
        }
        return b;
    }

    /** Copies the signature manifest {@code found} (for {@code ref}, under {@code tag}) and its payloads here. */
    public void save(ImageRef ref, String tag, Found found) {
        ImageStore store = new ImageStore(dir);
        ImageManifest m = ImageManifest.parse(found.manifest(), ref.withTag(tag).familiar());
        try (Staging staging = store.stage()) {
            staging.put(found.manifest());
            for (Descriptor d : m.blobs()) {
                staging.put(found.blobs().apply(d));
            }
            staging.commit(ref.withTag(tag).canonical(), Descriptor.of(MediaTypes.OCI_MANIFEST, m.digest(),
                    found.manifest().length, Map.of()));
        }
    }
}
