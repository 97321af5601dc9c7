package dev.bee.cli;

import dev.bee.core.image.Digests;
import dev.bee.core.image.ImageRef;
import dev.bee.core.image.RegistryOptions;
import dev.bee.core.image.registry.RegistryClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/** {@code bee pull REF}: fetch an image (bee's, BumbleBee's, bpfman's or Inspektor Gadget's) into the store. */
@Command(name = "pull", header = "Pull an eBPF image into the local store.",
        description = "Pull an eBPF image into the local store: bee and BumbleBee images, bpfman bytecode images "
                + "and Inspektor Gadget images (from an index, the one for this machine).")
final class PullCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;

    @ParentCommand
    Main bee;

    @Mixin
    RegistryOption registry;

    @Mixin
    CredentialsOption credentials;

    @Mixin
    TrustOption trust;

    @Parameters(index = "0", paramLabel = "REF", description = "[REGISTRY/]NAME[:TAG][@sha256:DIGEST]")
    String ref;

    @Override
    public Integer call() {
        RegistryOptions options = credentials.apply(registry.options());
        RegistryClient.DigestCheck check = trust.check(options);
        RegistryClient client = new RegistryClient(options, ProgressPrinter.forStderr("pulling"));
        RegistryClient.Pulled pulled = client.pull(bee.store(), ImageRef.parse(ref), check);
        System.err.println("bee: pulled " + pulled.name() + " (" + pulled.kind().label() + " image, "
                + Digests.humanSize(pulled.bytes()) + (pulled.platform() != null ? ", " + pulled.platform().shortForm() : "")
                + ")");
        System.out.println(pulled.digest());
        return 0;
    }
}
