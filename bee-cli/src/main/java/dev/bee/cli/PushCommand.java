package dev.bee.cli;

import dev.bee.core.Plural;
import dev.bee.core.image.ImageRef;
import dev.bee.core.image.ImageStore;
import dev.bee.core.image.RegistryOptions;
import dev.bee.core.image.TransferProgress;
import dev.bee.core.image.trust.ImageSigner;
import dev.bee.core.image.trust.KeyFiles;
import dev.bee.core.image.LocalImage;
import dev.bee.core.image.registry.RegistryClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.security.interfaces.ECPrivateKey;

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

    @Option(names = "--sign", paramLabel = "KEY",
            description = "Then sign the digest pushed with this private key, as 'bee sign' does.")
    Path signKey;

    @Override
    public Integer call() {
        ImageRef target = ImageRef.parse(ref);
        ImageStore store = bee.store();
        LocalImage image = store.open(ref);
        // The key is read first: a wrong passphrase stops the push before anything is sent.
        ECPrivateKey key = signKey == null ? null : KeyFiles.readPrivate(signKey, KeyFiles::passwordFromEnvironment);
        RegistryOptions options = credentials.apply(registry.options());
        RegistryClient client = new RegistryClient(options, ProgressPrinter.forStderr("pushing"));
        RegistryClient.Pushed pushed = client.push(store, image, target);
        System.err.println("bee: pushed " + pushed.reference() + " (" + Plural.of(pushed.blobsSent(), "blob")
                + " sent, " + pushed.blobsSkipped() + " already there)");
        if (key == null) {
            System.out.println(pushed.digest());
            return 0;
        }
        // The digest just pushed, not the tag resolved again.
        SignCommand.print(new ImageSigner(new RegistryClient(options, TransferProgress.NONE)).sign(target, pushed.digest(),
                key), signKey, null);
        return 0;
    }
}
