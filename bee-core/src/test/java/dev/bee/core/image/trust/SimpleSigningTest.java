package dev.bee.core.image.trust;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimpleSigningTest {
    private static final String DIGEST = "sha256:" + "ab".repeat(32);

    @Test
    void writesCosignsBytes() {
        // What cosign's payload.Cosign marshals (sigstore/sigstore pkg/signature/payload), with no annotations.
        assertEquals("{\"critical\":{\"identity\":{\"docker-reference\":\"127.0.0.1:5000/probes/x\"},"
                        + "\"image\":{\"docker-manifest-digest\":\"" + DIGEST + "\"},"
                        + "\"type\":\"cosign container image signature\"},\"optional\":null}",
                new String(new SimpleSigning("127.0.0.1:5000/probes/x", DIGEST).bytes(), StandardCharsets.UTF_8));
    }

    @Test
    void readsFieldNamesInAnyCaseAsGoDoesButNotTwice() throws Exception {
        String spec = "{\"critical\":{\"identity\":{\"docker-reference\":\"testing/manifest\"},\"image\":"
                + "{\"Docker-manifest-digest\":\"" + DIGEST + "\"},\"type\":\"cosign container image signature\"},"
                + "\"optional\":{\"creator\":\"Bob the Builder\",\"timestamp\":1458239713}}";
        SimpleSigning s = SimpleSigning.parse(spec.getBytes(StandardCharsets.UTF_8));
        assertEquals(DIGEST, s.digest());
        assertEquals("testing/manifest", s.dockerReference());

        String twice = spec.replace("{\"Docker-manifest-digest\"", "{\"docker-manifest-digest\":\"sha256:" + "cd".repeat(32)
                + "\",\"Docker-manifest-digest\"");
        SimpleSigning.Malformed m = assertThrows(SimpleSigning.Malformed.class,
                () -> SimpleSigning.parse(twice.getBytes(StandardCharsets.UTF_8)));
        assertTrue(m.getMessage().contains("twice"), m.getMessage());
        assertThrows(SimpleSigning.Malformed.class, () -> SimpleSigning.parse(spec.replace("cosign container image",
                "atomic container image").getBytes(StandardCharsets.UTF_8)));
        assertThrows(SimpleSigning.Malformed.class, () -> SimpleSigning.parse("[1]".getBytes(StandardCharsets.UTF_8)));
        assertThrows(SimpleSigning.Malformed.class, () -> SimpleSigning.parse("{".getBytes(StandardCharsets.UTF_8)));
    }
}
