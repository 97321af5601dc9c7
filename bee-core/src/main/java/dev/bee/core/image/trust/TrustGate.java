package dev.bee.core.image.trust;

import dev.bee.core.image.ImageRef;
import dev.bee.core.image.registry.RegistryClient;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Whether an image digest may be loaded: the policy's rule for its repository (when there is a policy), and a
 * signature by one of the {@code --verify-key} keys (when some are given); both must agree. bee calls it with
 * the digest it is about to load or store, before doing either ({@link RegistryClient.DigestCheck}).
 */
public final class TrustGate implements RegistryClient.DigestCheck {
    private final TrustPolicy policy;
    private final List<TrustKey> keys;
    private final SignatureSource signatures;

    /**
     * @param policy   the policy, or null for none
     * @param keys     keys one of which must have signed the image (empty: none required)
     * @param signatures where signatures are read from
     */
    public TrustGate(TrustPolicy policy, List<TrustKey> keys, SignatureSource signatures) {
        this.policy = policy;
        this.keys = List.copyOf(keys);
        this.signatures = signatures;
    }

    /** Signatures kept in bee's folder first (a packaged container's, offline), else the image's registry. */
    public static SignatureSource defaultSource(Supplier<RegistryClient> registry) {
        return SignatureSource.firstOf(List.of(new StoredSignatures(StoredSignatures.defaultDir()),
                SignatureSource.registry(registry)));
    }

    public TrustPolicy policy() {
        return policy;
    }

    public List<TrustKey> keys() {
        return keys;
    }

    public SignatureSource signatures() {
        return signatures;
    }

    /** Whether this gate asks anything at all (without a policy or keys, everything passes, as before). */
    public boolean active() {
        return policy != null || !keys.isEmpty();
    }

    /**
     * What the gate decides for one image and why.
     *
     * @param image      {@code repository@digest}
     * @param allowed    whether it may be loaded
     * @param policy     the policy file consulted, or null
     * @param scope      the policy scope that decided ({@code default} when none covers it), or null without a policy
     * @param rule       that scope's rule type, or null without a policy
     * @param verifiedBy the keys whose signatures were accepted (names of files)
     * @param reason     one line: why it is allowed or refused
     */
    public record Verdict(String image, boolean allowed, String policy, String scope, String rule,
                          List<String> verifiedBy, String reason) {
    }

    @Override
    public void admit(ImageRef ref, String digest) {
        require(ref, digest);
    }

    /** The verdict for an image that may be loaded; a refused one is an {@link UntrustedImage} error. */
    public Verdict require(ImageRef ref, String digest) {
        Verdict v = evaluate(ref, digest);
        if (!v.allowed()) {
            throw new UntrustedImage(v.image(), v.reason());
        }
        return v;
    }

    public Verdict evaluate(ImageRef ref, String digest) {
        String image = ref.familiarRepository() + "@" + digest;
        String source = policy == null ? null : policy.source();
        String scope = null;
        String rule = null;
        List<String> verifiedBy = new ArrayList<>();
        List<String> why = new ArrayList<>();
        if (policy != null) {
            TrustPolicy.Decision d = policy.decide(ref);
            scope = d.scope() == null ? "default" : d.scope();
            rule = d.rule().kind().word();
            String by = "policy " + (d.scope() == null ? "default" : "scope " + d.scope());
            switch (d.rule().kind()) {
                case REJECT -> {
                    return new Verdict(image, false, source, scope, rule, verifiedBy, "the " + by + " rejects "
                            + ref.familiarRepository());
                }
                case ANY -> why.add("the " + by + " accepts any image");
                case SIGNED_BY -> {
                    try {
                        SignatureVerifier.Verified v = verifier().verify(ref, digest, d.rule().keys());
                        verifiedBy.add(v.key().name());
                        why.add("signed by " + v.key().name() + " as the " + by + " requires");
                    } catch (UntrustedImage u) {
                        return new Verdict(image, false, source, scope, rule, verifiedBy, u.reason() + " (the " + by
                                + " requires a signature by " + SignatureVerifier.describe(d.rule().keys()) + ")");
                    }
                }
            }
        }
        if (!keys.isEmpty()) {
            try {
                SignatureVerifier.Verified v = verifier().verify(ref, digest, keys);
                if (!verifiedBy.contains(v.key().name())) {
                    verifiedBy.add(v.key().name());
                }
                why.add("signed by " + v.key().name() + " (--verify-key)");
            } catch (UntrustedImage u) {
                return new Verdict(image, false, source, scope, rule, verifiedBy, u.reason());
            }
        }
        if (why.isEmpty()) {
            why.add("no policy and no --verify-key: nothing is required");
        }
        return new Verdict(image, true, source, scope, rule, verifiedBy, String.join("; ", why));
    }

    private SignatureVerifier verifier() {
        return new SignatureVerifier(signatures);
    }
}
