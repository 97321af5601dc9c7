package dev.bee.cli;

import dev.bee.core.BeeException;

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
        // Each name is tried, as docker rmi does; the first failure decides the exit code.
        BeeException first = null;
        for (String ref : refs) {
            try {
                for (String removed : bee.store().remove(ref)) {
                    System.err.println("bee: removed " + removed);
                }
            } catch (BeeException e) {
                System.err.println("bee: error: " + e.getMessage());
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            return first.kind().exitCode();
        }
        return 0;
    }
}
