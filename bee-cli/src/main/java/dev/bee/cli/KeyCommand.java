package dev.bee.cli;

import dev.bee.core.image.trust.KeyFiles;
import dev.bee.core.image.trust.KeyPairFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code bee key generate}: a signing key pair, as {@code cosign generate-key-pair} makes one. */
@Command(name = "key", header = "Make signing keys.", subcommands = KeyCommand.Generate.class,
        description = "Make key pairs for bee sign and --verify-key.")
final class KeyCommand implements Runnable {
    @Mixin
    HelpOption help;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "generate", header = "Write a signing key pair: PREFIX.key (0600) and PREFIX.pub.",
            description = {"Write an ECDSA P-256 key pair, as 'cosign generate-key-pair' does: PREFIX.key, the",
                    "private key as PKCS#8 PEM (mode 0600), encrypted with the passphrase in " + KeyFiles.PASSWORD_ENV,
                    "when it is set; and PREFIX.pub, the public key (PKIX PEM, cosign.pub's format). cosign",
                    "signs with the same pair after 'cosign import-key-pair --key PREFIX.key'."})
    static final class Generate implements Callable<Integer> {
        @Mixin
        HelpOption help;

        @Option(names = "--output", paramLabel = "PREFIX", defaultValue = "bee",
                description = "Where the pair goes: PREFIX.key and PREFIX.pub (default: ${DEFAULT-VALUE}).")
        String prefix;

        @Override
        public Integer call() {
            KeyPairFiles.Written w = KeyPairFiles.generate(prefix, KeyFiles.passwordFromEnvironment());
            if (!w.encrypted()) {
                System.err.println("bee: warning: " + KeyFiles.PASSWORD_ENV + " is not set: " + w.privateKey()
                        + " is not encrypted (anyone who can read it can sign)");
            }
            // --output names the files (as cosign's prefix does), so there is no -o json here: the public key's
            // path goes to stdout, its fingerprint to stderr.
            System.err.println("bee: wrote " + w.privateKey() + (w.encrypted() ? " (encrypted)" : "") + " and "
                    + w.publicKey() + " (" + w.fingerprint() + ")");
            System.out.println(w.publicKey());
            return 0;
        }
    }
}
