package dev.bee.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code bee rmi REF...}: remove names from the local store, and the blobs no image uses any more. */
@Command(name = "rmi", header = "Remove local images.",
        description = "Remove local images: a name removes that name; a digest removes every name of that image. "
                + "Blobs no remaining image uses are deleted.")
final class RmiCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;

    @ParentCommand
    Main bee;

    @Parameters(arity = "1..*", paramLabel = "REF", description = "Local images: names, digests or digest prefixes.")
    List<String> refs;

    @Override
    public Integer call() {
        for (String ref : refs) {
            for (String removed : bee.store().remove(ref)) {
                System.err.println("bee: removed " + removed);
            }
        }
        return 0;
    }
}
