package dev.bee.cli;

import dev.bee.core.image.ImageRef;
import dev.bee.core.image.ImageStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/** {@code bee tag SRC DST}: give a local image another name (for example, the registry to push it to). */
@Command(name = "tag", header = "Give a local image another name.",
        description = "Give a local image another name, e.g. before pushing it to another registry.")
final class TagCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;

    @ParentCommand
    Main bee;

    @Parameters(index = "0", paramLabel = "SRC", description = "A local image: name, digest or digest prefix.")
    String src;

    @Parameters(index = "1", paramLabel = "DST", description = "The new name, [REGISTRY/]NAME[:TAG].")
    String dst;

    @Override
    public Integer call() {
        ImageStore.Entry e = bee.store().tag(src, dst);
        System.err.println("bee: tagged " + e.digest() + " as " + ImageRef.parse(dst).familiar());
        return 0;
    }
}
