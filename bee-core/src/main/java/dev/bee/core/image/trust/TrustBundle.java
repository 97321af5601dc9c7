package dev.bee.core.image.trust;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import dev.bee.core.image.ImageRef;
import dev.bee.core.io.JsonTree;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What {@code bee package --bake-trust} puts into a container so that every node checks what it runs, offline:
 * a folder laid out as bee's own ({@code BEE_HOME}) with {@code trust/policy.json} (the policy in effect, its keys
 * copied beside it), {@code trust/keys/verify-N.pub} (the {@code --verify-key} keys), and {@code signatures/}
 * holding the image's signatures ({@link StoredSignatures}); and the {@code bee run} flags that use them.
 */
public final class TrustBundle {
    private TrustBundle() {
    }

    /**
     * The files written (relative to {@code dir}, sorted) and the run flags naming them where {@code dir} will be
     * in the container ({@code home}).
     */
    public record Written(List<Path> files, List<String> runFlags) {
    }

    /** Writes {@code gate}'s policy and keys, and the signatures of {@code ref}'s {@code digest}, into {@code dir}. */
    public static Written write(TrustGate gate, ImageRef ref, String digest, Path dir, String home) {
        List<String> flags = new ArrayList<>();
        try {
            Path trust = dir.resolve("trust");
            Files.createDirectories(trust.resolve("keys"));
            if (gate.policy() != null) {
                Files.write(trust.resolve("policy.json"), policyJson(gate.policy(), trust));
                flags.addAll(List.of("--policy", home + "/trust/policy.json"));
            }
            int n = 0;
            for (TrustKey k : gate.keys()) {
                String name = "verify-" + n++ + ".pub";
                Files.write(trust.resolve("keys").resolve(name), Pem.write("PUBLIC KEY", k.key().getEncoded()));
                flags.addAll(List.of("--verify-key", home + "/trust/keys/" + name));
            }
            String tag = SignatureManifest.tag(digest);
            Optional<SignatureSource.Found> found = gate.signatures().find(ref, tag);
            if (found.isPresent()) {
                new StoredSignatures(dir.resolve(StoredSignatures.FOLDER)).save(ref, tag, found.get());
            }
            try (Stream<Path> s = Files.walk(dir)) {
                List<Path> files = s.filter(Files::isRegularFile).map(dir::relativize)
                        .filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
                return new Written(files, flags);
            }
        } catch (IOException e) {
            throw new BeeException(ErrorKind.ENVIRONMENT, "cannot write the trust files into " + dir + ": "
                    + e.getMessage(), "check that java.io.tmpdir (/tmp) is writable", e);
        }
    }

    /** The policy with each rule's keys copied to {@code keys/policy-N.pub} and named relative to the policy. */
    private static byte[] policyJson(TrustPolicy policy, Path trust) throws IOException {
        int[] n = {0};
        Map<String, Object> scopes = new LinkedHashMap<>();
        for (Map.Entry<String, TrustPolicy.Rule> e : policy.scopes().entrySet()) {
            scopes.put(e.getKey(), rule(e.getValue(), trust, n));
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("default", rule(policy.defaultRule(), trust, n));
        root.put("scopes", scopes);
        return JsonTree.writePretty(root);
    }

    private static Map<String, Object> rule(TrustPolicy.Rule r, Path trust, int[] n) throws IOException {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", r.kind().word());
        if (r.kind() == TrustPolicy.Kind.SIGNED_BY) {
            List<Object> paths = new ArrayList<>();
            for (TrustKey k : r.keys()) {
                String name = "keys/policy-" + n[0]++ + ".pub";
                Files.write(trust.resolve(name), Pem.write("PUBLIC KEY", k.key().getEncoded()));
                paths.add(name);
            }
            out.put("keyPaths", paths);
        }
        return out;
    }
}
