package dev.bee.core.image.trust;

import dev.bee.core.image.Descriptor;
import dev.bee.core.image.ImageRef;
import dev.bee.core.image.registry.RegistryClient;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/** Where an image's signature manifest ({@code sha256-<hex>.sig}) and its payloads are read from. */
public interface SignatureSource {
    /**
     * A signature manifest found: its bytes, a reader of the blobs it names (each checked against its
     * descriptor; a mismatch is an INPUT error), and where it was found (in messages).
     */
    record Found(byte[] manifest, Function<Descriptor, byte[]> blobs, String where) {
    }

    /** The manifest tagged {@code tag} in {@code ref}'s repository, or empty when this source has none. */
    Optional<Found> find(ImageRef ref, String tag);

    /** The registry {@code ref} names. */
    static SignatureSource registry(Supplier<RegistryClient> client) {
        return (ref, tag) -> {
            RegistryClient c = client.get();
            return c.manifestIfPresent(ref, tag).map(m -> new Found(m.raw(), d -> c.blob(ref, d), ref.domain()));
        };
    }

    /** The first of {@code sources} that has the manifest. */
    static SignatureSource firstOf(List<SignatureSource> sources) {
        return (ref, tag) -> {
            for (SignatureSource s : sources) {
                Optional<Found> f = s.find(ref, tag);
                if (f.isPresent()) {
                    return f;
                }
            }
            return Optional.empty();
        };
    }
}
