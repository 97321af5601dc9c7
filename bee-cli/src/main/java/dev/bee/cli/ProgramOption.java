package dev.bee.cli;

import dev.bee.core.image.ImageStore;
import dev.bee.core.image.registry.ProgramSource;
import dev.bee.core.image.registry.RegistryClient;
import dev.bee.core.object.BpfObject;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The program a command loads ({@code FILE.o|REF}), its {@code --set} overrides and what an image must prove
 * ({@link TrustOption}): shared by run and verify.
 */
final class ProgramOption {
    @Parameters(index = "0", paramLabel = "FILE.o|REF",
            description = "A compiled eBPF object, or an image (from the local store, pulled when missing).")
    String target;

    @Option(names = "--set", paramLabel = "NAME=VALUE",
            description = "Set a const volatile global before load (integers in decimal or 0x hex, a leading 0 refused "
                    + "as ambiguous; bools, strings, IPv4; repeatable).")
    List<String> sets = new ArrayList<>();

    @Mixin
    TrustOption trust;

    /**
     * The object: the file, or the image from {@code store}, pulled through {@code registry} when missing; an
     * image only once {@code --verify-key} and the policy admit its digest.
     */
    BpfObject open(ImageStore store, RegistryOption registry) {
        RegistryClient.DigestCheck check = ProgramSource.isFile(target) ? RegistryClient.DigestCheck.NONE
                : trust.check(registry.options());
        return ProgramSource.open(target, store,
                () -> new RegistryClient(registry.options(), ProgressPrinter.forStderr("pulling")), check);
    }

    /** The target as people read it in messages: a file's name, or the reference as typed. */
    String displayName() {
        return ProgramSource.isFile(target) ? Path.of(target).getFileName().toString() : target;
    }
}
