package dev.bee.core.image.trust;

import dev.bee.core.ErrorKind;
import dev.bee.core.image.Descriptor;
import dev.bee.core.image.Digests;
import dev.bee.core.image.ImageRef;
import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which layer counts and which reason is told, over signature manifests held in memory. */
class SignatureVerifierTest {
    private static final ImageRef REF = ImageRef.parse("localhost:5000/probes/x:v1");
    private static final String DIGEST = "sha256:" + "ab".repeat(32);
    private final KeyPair key = P256.generate();
    private final KeyPair other = P256.generate();
    private final TrustKey trusted = new TrustKey("team.pub", (ECPublicKey) key.getPublic());
    private final Map<String, byte[]> blobs = new HashMap<>();
    private final List<Descriptor> layers = new ArrayList<>();

    private SignatureSource source() {
        byte[] manifest = SignatureManifest.build(layers).manifest();
        return (ref, tag) -> ref.repository().equals(REF.repository()) && tag.equals(SignatureManifest.tag(DIGEST))
                ? Optional.of(new SignatureSource.Found(manifest, d -> blobs.get(d.digest()), "memory"))
                : Optional.empty();
    }

    private void sign(KeyPair k, String repository, String digest) {
        byte[] payload = new SimpleSigning(repository, digest).bytes();
        blobs.put(Digests.sha256(payload), payload);
        layers.add(SignatureManifest.layer(payload, Base64.getEncoder().encodeToString(P256.sign(k.getPrivate(), payload))));
    }

    private UntrustedImage refused() {
        UntrustedImage e = assertThrows(UntrustedImage.class,
                () -> new SignatureVerifier(source()).verify(REF, DIGEST, List.of(trusted)));
        assertEquals(ErrorKind.UNTRUSTED, e.kind());
        return e;
    }

    @Test
    void anyGoodLayerWinsWhateverElseIsThere() {
        sign(other, REF.repository(), DIGEST);
        layers.add(Descriptor.of("application/vnd.dsse.envelope.v1+json", "sha256:" + "cd".repeat(32), 10, Map.of()));
        sign(key, REF.repository(), DIGEST);
        SignatureVerifier.Verified v = new SignatureVerifier(source()).verify(REF, DIGEST, List.of(trusted));
        assertEquals("team.pub", v.key().name());
        assertEquals(2, v.signatures(), "the attestation layer is not a signature");
    }

    @Test
    void theMostTellingReasonIsTold() {
        sign(other, REF.repository(), DIGEST);
        sign(key, "localhost:5000/probes/y", DIGEST);
        assertTrue(refused().reason().contains("is for another repository (localhost:5000/probes/y)"), refused().reason());
        sign(key, REF.repository(), "sha256:" + "ef".repeat(32));
        assertEquals("its signature by team.pub is for another image (efefefefefef), not abababababab", refused().reason());
    }

    @Test
    void layersWithoutAUsableSignatureOrTooManyAreRefused() {
        byte[] payload = new SimpleSigning(REF.repository(), DIGEST).bytes();
        blobs.put(Digests.sha256(payload), payload);
        layers.add(SignatureManifest.layer(payload, "not base64 !"));
        assertEquals("a signature is not base64", refused().reason());
        layers.clear();
        for (int i = 0; i <= SignatureManifest.MAX_SIGNATURES; i++) {
            sign(other, REF.repository(), DIGEST);
        }
        assertTrue(refused().reason().contains("holds 101 layers"), refused().reason());
    }

    @Test
    void anotherRepositorysSignatureTagIsNotLookedAt() {
        sign(key, REF.repository(), DIGEST);
        UntrustedImage e = assertThrows(UntrustedImage.class, () -> new SignatureVerifier(source())
                .verify(ImageRef.parse("localhost:5000/probes/copy:v1"), DIGEST, List.of(trusted)));
        assertTrue(e.reason().startsWith("it is not signed"), e.reason());
    }
}
