package dev.bee.cli;

import dev.bee.core.image.ImageStore;
import dev.bee.core.image.registry.ProgramSource;
import dev.bee.core.image.registry.RegistryClient;
import dev.bee.core.object.BpfObject;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The program a command loads ({@code FILE.o|REF}) and its {@code --set} overrides: shared by run and verify. */
final class ProgramOption {
    @Parameters(index = "0", paramLabel = "FILE.o|REF",
            description = "A compiled eBPF object, or an image (from the local store, pulled when missing).")
    String target;

    @Option(names = "--set", paramLabel = "NAME=VALUE",
            description = "Set a const volatile global before load (integers in decimal or 0x hex, a leading 0 refused "
                    + "as ambiguous; bools, strings, IPv4; repeatable).")
    List<String> sets = new ArrayList<>();

    /** The object: the file, or the image from {@code store}, pulled through {@code registry} when missing. */
    BpfObject open(ImageStore store, RegistryOption registry) {
        return ProgramSource.open(target, store,
                () -> new RegistryClient(registry.options(), ProgressPrinter.forStderr("pulling")));
    }

    /** The target as people read it in messages: a file's name, or the reference as typed. */
    String displayName() {
        return ProgramSource.isFile(target) ? Path.of(target).getFileName().toString() : target;
    }
}
