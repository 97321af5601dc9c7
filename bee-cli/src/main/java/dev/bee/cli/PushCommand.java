package dev.bee.cli;

import dev.bee.core.Plural;
import dev.bee.core.image.ImageRef;
import dev.bee.core.image.ImageStore;
import dev.bee.core.image.LocalImage;
import dev.bee.core.image.registry.RegistryClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/** {@code bee push REF}: send a local image to the registry its name points at. */
@Command(name = "push", header = "Push a local image to its registry.",
        description = "Push a local image to the registry named in its reference.")
final class PushCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;

    @ParentCommand
    Main bee;

    @Mixin
    RegistryOption registry;

    @Mixin
    CredentialsOption credentials;

    @Parameters(index = "0", paramLabel = "REF", description = "A local image name, e.g. localhost:5000/probes/x:v1.")
    String ref;

    @Override
    public Integer call() {
        ImageRef target = ImageRef.parse(ref);
        ImageStore store = bee.store();
        LocalImage image = store.open(ref);
        RegistryClient client = new RegistryClient(credentials.apply(registry.options()), ProgressPrinter.forStderr("pushing"));
        RegistryClient.Pushed pushed = client.push(store, image, target);
        System.err.println("bee: pushed " + pushed.reference() + " (" + Plural.of(pushed.blobsSent(), "blob")
                + " sent, " + pushed.blobsSkipped() + " already there)");
        System.out.println(pushed.digest());
        return 0;
    }
}
