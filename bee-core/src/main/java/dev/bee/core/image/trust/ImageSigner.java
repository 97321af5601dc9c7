package dev.bee.core.image.trust;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import dev.bee.core.image.Descriptor;
import dev.bee.core.image.Digests;
import dev.bee.core.image.ImageManifest;
import dev.bee.core.image.ImageRef;
import dev.bee.core.image.MediaTypes;
import dev.bee.core.image.registry.RegistryClient;

import java.security.interfaces.ECPrivateKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Signs an image in a registry as {@code cosign sign --key} does: a simple signing payload for the manifest
 * digest and repository, signed with ECDSA P-256, added as one more layer of the {@code sha256-<hex>.sig}
 * manifest in the same repository (the signatures already there are kept).
 */
public final class ImageSigner {
    private final RegistryClient registry;

    public ImageSigner(RegistryClient registry) {
        this.registry = registry;
    }

    /**
     * What was signed: the image ({@code repository@digest}), the tag the signatures are under, and how many
     * signatures that manifest now holds.
     */
    public record Signed(String image, String digest, String signatureTag, String signatureDigest, int signatures) {
    }

    /** Signs the manifest digest {@code digest} of {@code ref}'s repository with {@code key}. */
    public Signed sign(ImageRef ref, String digest, ECPrivateKey key) {
        Digests.requireSha256(digest, "the digest to sign");
        byte[] payload = new SimpleSigning(ref.repository(), digest).bytes();
        String signature = Base64.getEncoder().encodeToString(P256.sign(key, payload));
        String tag = SignatureManifest.tag(digest);

        List<Descriptor> layers = new ArrayList<>(existingLayers(ref, tag));
        layers.add(SignatureManifest.layer(payload, signature));
        SignatureManifest.Built built = SignatureManifest.build(layers);
        registry.putBlob(ref, payload, SimpleSigning.MEDIA_TYPE);
        registry.putBlob(ref, built.config(), MediaTypes.OCI_CONFIG);
        registry.putManifest(ref, tag, built.manifest());
        return new Signed(ref.familiarRepository() + "@" + digest, digest, tag, Digests.sha256(built.manifest()),
                layers.size());
    }

    /** The layers of the signature manifest already there (signatures by others, or earlier ones), as they are. */
    private List<Descriptor> existingLayers(ImageRef ref, String tag) {
        Optional<RegistryClient.Manifest> found = registry.manifestIfPresent(ref, tag);
        if (found.isEmpty()) {
            return List.of();
        }
        ImageManifest m = ImageManifest.parse(found.get().raw(), ref.withTag(tag).familiar());
        if (m.layers().size() >= SignatureManifest.MAX_SIGNATURES) {
            throw new BeeException(ErrorKind.INPUT, ref.withTag(tag).familiar() + " already holds "
                    + m.layers().size() + " signatures; bee adds no more (it reads at most "
                    + SignatureManifest.MAX_SIGNATURES + ")", "delete the tag's old signatures in the registry first");
        }
        return m.layers();
    }
}
