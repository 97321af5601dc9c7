package dev.bee.core.image.trust;

import dev.bee.core.image.ImageRef;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Which images bee may load, in the spirit of containers-policy.json: scopes (a registry, or a repository
 * prefix in one) each with a rule, and a default rule for the rest. The most specific scope that covers a
 * repository decides: {@code ghcr.io/acme/tools} over {@code ghcr.io/acme} over {@code ghcr.io}.
 *
 * @param source      where the policy was read from (in messages)
 * @param defaultRule the rule for repositories no scope covers
 * @param scopes      scope ({@code HOST[:PORT]} or {@code HOST[:PORT]/PATH}) to rule, in file order
 */
public record TrustPolicy(String source, Rule defaultRule, Map<String, Rule> scopes) {
    /** What a rule asks for. */
    public enum Kind {
        /** A signature by one of the rule's keys over the digest loaded. */
        SIGNED_BY("signedBy"),
        /** Anything (no signature needed). */
        ANY("any"),
        /** Nothing. */
        REJECT("reject");

        private final String word;

        Kind(String word) {
            this.word = word;
        }

        /** The rule's {@code type} in the policy file. */
        public String word() {
            return word;
        }
    }

    /** A rule: its kind and, for {@code signedBy}, the key files (as the policy names them) and their keys. */
    public record Rule(Kind kind, List<Path> keyFiles, List<TrustKey> keys) {
        public Rule {
            keyFiles = List.copyOf(keyFiles);
            keys = List.copyOf(keys);
        }
    }

    /** The rule that applies to a repository, and the scope it came from (null: the default). */
    public record Decision(String scope, Rule rule) {
    }

    public Decision decide(ImageRef ref) {
        String best = null;
        for (String scope : scopes.keySet()) {
            if (covers(scope, ref) && (best == null || scope.length() > best.length())) {
                best = scope;
            }
        }
        return best == null ? new Decision(null, defaultRule) : new Decision(best, scopes.get(best));
    }

    /** Whether {@code scope} is {@code ref}'s registry, its repository, or a path prefix of it at a '/'. */
    static boolean covers(String scope, ImageRef ref) {
        String repository = ref.repository();
        return scope.equals(ref.domain()) || scope.equals(repository) || repository.startsWith(scope + "/");
    }
}
