package dev.bee.cli;

import dev.bee.core.image.ImageConverter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/** {@code bee convert SRC DST --format bee|bpfman}: store a local image's program again, in another layout. */
@Command(name = "convert", header = "Store a local image's program again in another image layout.",
        description = "Write the eBPF object of local image SRC (bee's, BumbleBee's, bpfman's or Inspektor Gadget's) "
                + "as local image DST in bee's layout or, with --format bpfman, as a bpfman bytecode image. "
                + "The object is copied byte for byte; annotations, bee's build record and the platform are kept.")
final class ConvertCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;

    @ParentCommand
    Main bee;

    @Mixin
    ImageLayoutOption format;

    @Parameters(index = "0", paramLabel = "SRC", description = "A local image: name, digest or digest prefix.")
    String src;

    @Parameters(index = "1", paramLabel = "DST", description = "The new image's name, [REGISTRY/]NAME[:TAG].")
    String dst;

    @Override
    public Integer call() {
        ImageConverter.Converted c = ImageConverter.convert(bee.store(), src, dst, format.layout);
        if (c.platformAssumed()) {
            System.err.println("bee: " + src + " records no platform; wrote this machine's " + c.platform().shortForm()
                    + " (no kernel release)");
        }
        System.err.println("bee: stored " + c.entry().name() + " (" + c.entry().digest() + ", " + c.to().label()
                + " layout, from a " + c.from().label() + " image) in " + bee.store().root());
        System.out.println(c.entry().digest());
        return 0;
    }
}
