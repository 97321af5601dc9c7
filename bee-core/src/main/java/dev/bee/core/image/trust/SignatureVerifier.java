package dev.bee.core.image.trust;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import dev.bee.core.image.Descriptor;
import dev.bee.core.image.Digests;
import dev.bee.core.image.ImageManifest;
import dev.bee.core.image.ImageRef;

import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Checks that an image digest is signed, in cosign's key-based format, by one of the given keys: a layer of its
 * {@code sha256-<hex>.sig} manifest whose signature one key verifies over a payload that names exactly this
 * digest and this repository. Anything else is refused with one reason (the most telling one over all layers),
 * a {@link ErrorKind#UNTRUSTED} error that never quotes signatures or payloads.
 */
public final class SignatureVerifier {
    /** cosign's payloads are a few hundred bytes; a layer declaring more is not fetched. */
    static final int MAX_PAYLOAD = 64 * 1024;
    private static final int MAX_SIGNATURE_TEXT = 4096;

    private final SignatureSource source;

    public SignatureVerifier(SignatureSource source) {
        this.source = source;
    }

    /** The signature that was accepted: the key that made it, and how many signature layers the image has. */
    public record Verified(TrustKey key, int signatures) {
    }

    /** Why one layer did not do, from least to most telling (the most telling is reported). */
    private enum Failure { NOT_BY_KEY, MALFORMED, OTHER_REPOSITORY, OTHER_DIGEST }

    public Verified verify(ImageRef ref, String digest, List<TrustKey> keys) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("no keys to verify with");
        }
        String image = ref.familiarRepository() + "@" + digest;
        String tag = SignatureManifest.tag(digest);
        Optional<SignatureSource.Found> found = source.find(ref, tag);
        if (found.isEmpty()) {
            throw refused(image, "it is not signed (" + ref.familiarRepository() + " has no tag " + shortTag(digest) + ")");
        }
        ImageManifest manifest;
        try {
            manifest = ImageManifest.parse(found.get().manifest(), ref.withTag(tag).familiar());
        } catch (BeeException e) {
            throw refused(image, "its signature manifest " + shortTag(digest) + " is malformed");
        }
        List<Descriptor> layers = manifest.layers();
        if (layers.size() > SignatureManifest.MAX_SIGNATURES) {
            throw refused(image, "its signature manifest holds " + layers.size() + " layers (bee reads at most "
                    + SignatureManifest.MAX_SIGNATURES + ")");
        }
        Failure worst = null;
        String detail = null;
        int signatures = 0;
        for (Descriptor layer : layers) {
            if (!SimpleSigning.MEDIA_TYPE.equals(layer.mediaType())) {
                continue; // attestations and other artifacts may share the manifest
            }
            signatures++;
            Outcome o = check(ref, digest, layer, keys, found.get());
            if (o.verified != null) {
                return new Verified(o.verified, signatures);
            }
            if (worst == null || o.failure.compareTo(worst) > 0) {
                worst = o.failure;
                detail = o.detail;
            }
        }
        if (worst == null) {
            throw refused(image, "its signature manifest " + shortTag(digest) + " holds no cosign signature");
        }
        throw refused(image, switch (worst) {
            case NOT_BY_KEY -> "none of its " + (signatures == 1 ? "1 signature is" : signatures + " signatures is")
                    + " by " + describe(keys);
            case MALFORMED, OTHER_REPOSITORY, OTHER_DIGEST -> detail;
        });
    }

    private record Outcome(TrustKey verified, Failure failure, String detail) {
        static Outcome fail(Failure f, String detail) {
            return new Outcome(null, f, detail);
        }
    }

    private Outcome check(ImageRef ref, String digest, Descriptor layer, List<TrustKey> keys, SignatureSource.Found found) {
        String encoded = layer.annotations().get(SignatureManifest.SIGNATURE_ANNOTATION);
        if (encoded == null || encoded.length() > MAX_SIGNATURE_TEXT) {
            return Outcome.fail(Failure.MALFORMED, "a signature layer has no usable "
                    + SignatureManifest.SIGNATURE_ANNOTATION + " annotation");
        }
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(encoded.trim());
        } catch (IllegalArgumentException e) {
            return Outcome.fail(Failure.MALFORMED, "a signature is not base64");
        }
        if (layer.size() > MAX_PAYLOAD) {
            return Outcome.fail(Failure.MALFORMED, "a signature payload declares " + layer.size() + " bytes (bee reads at"
                    + " most " + MAX_PAYLOAD + ")");
        }
        byte[] payload;
        try {
            payload = found.blobs().apply(layer);
        } catch (BeeException e) {
            if (e.kind() != ErrorKind.INPUT) {
                throw e; // the registry failed: no decision either way
            }
            return Outcome.fail(Failure.MALFORMED, "a signature payload does not match its digest");
        }
        for (TrustKey key : keys) {
            if (!P256.verify(key.key(), payload, signature)) {
                continue;
            }
            SimpleSigning claims;
            try {
                claims = SimpleSigning.parse(payload);
            } catch (SimpleSigning.Malformed e) {
                return Outcome.fail(Failure.MALFORMED, "its signature by " + key.name() + " signs no image: "
                        + e.getMessage());
            }
            if (!digest.equals(claims.digest())) {
                return Outcome.fail(Failure.OTHER_DIGEST, "its signature by " + key.name() + " is for another image ("
                        + (Digests.isSha256(claims.digest()) ? Digests.shortForm(claims.digest()) : "no sha256 digest")
                        + "), not " + Digests.shortForm(digest));
            }
            String signedFor = repository(claims.dockerReference());
            if (!ref.repository().equals(signedFor)) {
                return Outcome.fail(Failure.OTHER_REPOSITORY, "its signature by " + key.name() + " is for another"
                        + " repository (" + (signedFor == null ? "none named" : signedFor) + "), not " + ref.repository());
            }
            return new Outcome(key, null, null);
        }
        return Outcome.fail(Failure.NOT_BY_KEY, null);
    }

    /** The repository a docker-reference names, in bee's spelling (Docker Hub as docker.io/library/...), or null. */
    private static String repository(String dockerReference) {
        if (dockerReference == null || !ImageRef.isValid(dockerReference)) {
            return null;
        }
        return ImageRef.parse(dockerReference).repository();
    }

    private static String shortTag(String digest) {
        return "sha256-" + Digests.shortForm(digest) + "...sig";
    }

    static String describe(List<TrustKey> keys) {
        return keys.size() == 1 ? keys.get(0).name()
                : "any of " + keys.stream().map(TrustKey::name).collect(Collectors.joining(", "));
    }

    static UntrustedImage refused(String image, String reason) {
        return new UntrustedImage(image, reason);
    }
}
