package dev.bee.core.image.trust;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;

/** An image refused by its signatures or the trust policy: one reason, exit code {@link ErrorKind#UNTRUSTED}. */
public final class UntrustedImage extends BeeException {
    private final String image;
    private final String reason;

    UntrustedImage(String image, String reason) {
        super(ErrorKind.UNTRUSTED, "refused " + image + ": " + reason + "; nothing was loaded or stored",
                "sign it with 'bee sign REF --key KEY' (or cosign sign --key), or check the keys and the policy"
                        + " (docs/signing.md)");
        this.image = image;
        this.reason = reason;
    }

    /** The image refused ({@code repository@digest}). */
    public String image() {
        return image;
    }

    /** Why, in a few words. */
    public String reason() {
        return reason;
    }
}
