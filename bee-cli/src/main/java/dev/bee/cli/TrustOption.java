package dev.bee.cli;

import dev.bee.core.image.RegistryOptions;
import dev.bee.core.image.TransferProgress;
import dev.bee.core.image.registry.RegistryClient;
import dev.bee.core.image.trust.KeyFiles;
import dev.bee.core.image.trust.PolicyFile;
import dev.bee.core.image.trust.TrustGate;
import dev.bee.core.image.trust.TrustPolicy;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code --verify-key} and {@code --policy}: what an image must prove before bee loads or stores it. */
final class TrustOption {
    @Option(names = "--verify-key", paramLabel = "KEY",
            description = "Refuse the image unless it is signed (cosign's key-based format) by this public key"
                    + " (PEM); repeatable: a signature by any one will do.")
    List<Path> verifyKeys = new ArrayList<>();

    @Option(names = "--policy", paramLabel = "FILE",
            description = "Trust policy: which registries and repositories need signatures by which keys"
                    + " (default: policy.json in bee's folder, when it exists; docs/signing.md).")
    Path policy;

    /** The policy in effect: {@code --policy}, else {@code policy.json} in bee's folder when there is one, else null. */
    TrustPolicy policy() {
        if (policy != null) {
            return PolicyFile.read(policy);
        }
        Path home = PolicyFile.defaultPath();
        return Files.exists(home) ? PolicyFile.read(home) : null;
    }

    /** The gate for these options; signatures are read with {@code options} (no progress lines). */
    TrustGate gate(RegistryOptions options) {
        return new TrustGate(policy(), verifyKeys.stream().map(KeyFiles::readPublic).toList(),
                TrustGate.defaultSource(() -> new RegistryClient(options, TransferProgress.NONE)));
    }

    /** The gate, or {@link RegistryClient.DigestCheck#NONE} when it asks nothing. */
    RegistryClient.DigestCheck check(RegistryOptions options) {
        TrustGate g = gate(options);
        return g.active() ? g : RegistryClient.DigestCheck.NONE;
    }
}
