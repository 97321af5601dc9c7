package dev.bee.cli;

import dev.bee.core.ErrorKind;
import dev.bee.core.image.ImageRef;
import dev.bee.core.image.TransferProgress;
import dev.bee.core.image.registry.RegistryClient;
import dev.bee.core.image.trust.TrustGate;
import dev.bee.core.io.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code bee policy check REF}: what the trust policy decides for an image, and why. */
@Command(name = "policy", header = "Check images against the trust policy.", subcommands = PolicyCommand.Check.class,
        description = "Check what the trust policy (policy.json in bee's folder, or --policy) decides.")
final class PolicyCommand implements Runnable {
    @Mixin
    HelpOption help;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "check", header = "Say whether bee would load REF under the policy, and why.",
            description = {"Resolve REF in its registry and decide as pull and run would: the policy's rule for",
                    "its repository, and a signature by one of the --verify-key keys when given. Exits 0",
                    "when bee would load it, " + 10 + " when it would refuse (for CI)."})
    static final class Check implements Callable<Integer> {
        @Mixin
        HelpOption help;

        @Mixin
        FormatOption format;

        @Mixin
        RegistryOption registry;

        @Mixin
        CredentialsOption credentials;

        @Mixin
        TrustOption trust;

        @Parameters(index = "0", paramLabel = "REF", description = "The image in its registry.")
        String ref;

        @Override
        public Integer call() {
            ImageRef r = ImageRef.parse(ref);
            var options = credentials.apply(registry.options());
            TrustGate gate = trust.gate(options);
            String digest = new RegistryClient(options, TransferProgress.NONE).manifest(r).digest();
            TrustGate.Verdict v = gate.evaluate(r, digest);
            if (format.json()) {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("image", v.image());
                out.put("reference", r.familiar());
                out.put("digest", digest);
                out.put("allowed", v.allowed());
                out.put("policy", v.policy());
                out.put("scope", v.scope());
                out.put("rule", v.rule());
                out.put("verifiedBy", v.verifiedBy());
                out.put("reason", v.reason());
                System.out.println(Json.pretty(out));
            } else {
                System.out.println(v.image() + ": " + (v.allowed() ? "allowed" : "refused"));
                if (v.policy() != null) {
                    System.out.println("  policy: " + v.policy() + ", scope " + v.scope() + " (" + v.rule() + ")");
                }
                System.out.println("  reason: " + v.reason());
            }
            return v.allowed() ? 0 : ErrorKind.UNTRUSTED.exitCode();
        }
    }
}
