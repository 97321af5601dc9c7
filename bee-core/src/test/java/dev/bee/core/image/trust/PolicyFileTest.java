package dev.bee.core.image.trust;

import dev.bee.core.BeeException;
import dev.bee.core.image.ImageRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PolicyFileTest {
    @TempDir
    Path tmp;

    private TrustPolicy policy(String json) throws Exception {
        Path f = tmp.resolve("policy.json");
        Files.writeString(f, json);
        return PolicyFile.read(f);
    }

    @Test
    void theMostSpecificScopeDecides() throws Exception {
        KeyPairFiles.generate(tmp.resolve("acme").toString(), null);
        TrustPolicy p = policy("""
                {"default": {"type": "reject"},
                 "scopes": {
                   "ghcr.io": {"type": "any"},
                   "ghcr.io/acme": {"type": "signedBy", "keyPaths": ["acme.pub"]},
                   "ghcr.io/acme/lab": {"type": "reject"},
                   "index.docker.io": {"type": "any"}}}""");
        assertEquals(TrustPolicy.Kind.SIGNED_BY, p.decide(ImageRef.parse("ghcr.io/acme/tools/x:v1")).rule().kind());
        assertEquals("ghcr.io/acme", p.decide(ImageRef.parse("ghcr.io/acme/tools/x:v1")).scope());
        assertEquals(tmp.resolve("acme.pub").toString(),
                p.decide(ImageRef.parse("ghcr.io/acme/x")).rule().keys().get(0).name());
        // A prefix counts at a '/' only: ghcr.io/acmecorp is not under ghcr.io/acme.
        assertEquals("ghcr.io", p.decide(ImageRef.parse("ghcr.io/acmecorp/x")).scope());
        assertEquals(TrustPolicy.Kind.REJECT, p.decide(ImageRef.parse("ghcr.io/acme/lab/x")).rule().kind());
        assertEquals(TrustPolicy.Kind.ANY, p.decide(ImageRef.parse("busybox")).rule().kind());
        TrustPolicy.Decision other = p.decide(ImageRef.parse("quay.io/x/y"));
        assertNull(other.scope());
        assertEquals(TrustPolicy.Kind.REJECT, other.rule().kind());
    }

    @Test
    void aTypoIsAnErrorNeverIgnored() {
        for (String bad : new String[]{
                "{\"scopes\": {}}",
                "{\"default\": {\"type\": \"accept\"}}",
                "{\"default\": {\"type\": \"any\", \"keyPath\": \"x.pub\"}}",
                "{\"default\": {\"type\": \"signedBy\"}}",
                "{\"default\": {\"type\": \"any\"}, \"scope\": {}}",
                "{\"default\": {\"type\": \"any\"}, \"scopes\": {\"acme/tools\": {\"type\": \"any\"}}}",
                "{\"default\": {\"type\": \"any\"}, \"scopes\": {\"ghcr.io/acme:v1\": {\"type\": \"any\"}}}",
                "{\"default\": {\"type\": \"signedBy\", \"keyPath\": \"missing.pub\"}}",
                "not json"}) {
            BeeException e = assertThrows(BeeException.class, () -> policy(bad), bad);
            assertTrue(e.getMessage().startsWith("policy ") || e.getMessage().startsWith("no such key file"), e.getMessage());
        }
    }
}
