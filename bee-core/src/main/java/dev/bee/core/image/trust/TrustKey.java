package dev.bee.core.image.trust;

import dev.bee.core.image.Digests;

import java.security.interfaces.ECPublicKey;

/**
 * A public key signatures are checked against, with the name people gave it (its file) and a fingerprint
 * (the sha256 of its PKIX encoding, as {@code openssl pkey -pubin -outform DER | sha256sum} prints it).
 */
public record TrustKey(String name, ECPublicKey key) {
    public String fingerprint() {
        return Digests.sha256(key.getEncoded());
    }

    @Override
    public String toString() {
        return name + " (" + Digests.shortForm(fingerprint()) + ")";
    }
}
