package dev.bee.cli;

import dev.bee.core.image.ImageConfig;
import dev.bee.core.image.ImageStore;
import dev.bee.core.image.LocalImage;
import dev.bee.core.image.registry.ProgramSource;
import dev.bee.core.image.registry.RegistryClient;
import dev.bee.core.object.BpfObject;
import dev.bee.core.object.ObjectReader;
import dev.bee.core.io.Json;
import dev.bee.core.sink.VisibleText;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code bee describe FILE.o|REF}: what an object or a local image holds, for people or (with
 * {@code -o json}) scripts. bee's images describe themselves in their config; other tools' images
 * are described from their ELF object.
 */
@Command(name = "describe", header = "Show the programs, maps and globals of an object or image.",
        description = "Show the programs, maps and globals of an eBPF object, or of a local image with its "
                + "digest, platform and annotations.")
final class DescribeCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;

    @ParentCommand
    Main bee;

    @Mixin
    FormatOption format;

    @Mixin
    TrustOption trust;

    @Mixin
    RegistryOption registry;

    @Parameters(index = "0", paramLabel = "FILE.o|REF", description = "A compiled eBPF object, or a local image.")
    String target;

    @Override
    public Integer call() {
        if (ProgramSource.isFile(target)) {
            BpfObject object = ObjectReader.read(Path.of(target));
            System.out.print(format.json() ? Json.pretty(object) + "\n" : VisibleText.lines(ObjectText.render(object)));
            return 0;
        }
        ImageStore store = bee.store();
        LocalImage image = store.open(target);
        RegistryClient.DigestCheck check = trust.check(registry.options());
        if (check != RegistryClient.DigestCheck.NONE) {
            check.admit(ProgramSource.storedRef(target, image), image.digest());
        }
        ImageConfig config = image.beeConfig() != null ? image.beeConfig()
                : ImageConfig.of(ObjectReader.read(target, store.objectBytes(image)), null, null);
        ImageDescription d = ImageDescription.of(image, config);
        System.out.print(format.json() ? Json.pretty(d) + "\n" : VisibleText.lines(ImageText.render(d)));
        return 0;
    }
}
