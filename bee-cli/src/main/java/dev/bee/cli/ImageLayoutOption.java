package dev.bee.cli;

import dev.bee.core.image.ImageLayout;
import picocli.CommandLine.Option;

/** {@code --format bee|bpfman}: the layout of the image a command writes (build, convert). */
final class ImageLayoutOption {
    @Option(names = "--format", paramLabel = "bee|bpfman", defaultValue = "bee",
            description = "Image layout: bee (BumbleBee's, with bee's config; the default) or bpfman "
                    + "(a bytecode image bpfman loads: one tar+gzip layer holding the object, and bpfman's labels).")
    ImageLayout layout = ImageLayout.BEE;
}
