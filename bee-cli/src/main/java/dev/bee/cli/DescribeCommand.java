package dev.bee.cli;

import dev.bee.core.object.BpfObject;
import dev.bee.core.object.ObjectReader;
import dev.bee.core.sink.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code bee describe FILE.o}: what an object holds, for people or (with -o json) scripts. */
@Command(name = "describe", description = "Show the programs, maps and globals of an eBPF object.")
final class DescribeCommand implements Callable<Integer> {
    @Mixin
    VerboseOption verbose;

    @Mixin
    FormatOption format;

    @Parameters(index = "0", paramLabel = "FILE.o", description = "A compiled eBPF object.")
    Path file;

    @Override
    public Integer call() {
        BpfObject object = ObjectReader.read(file);
        System.out.print(format.json() ? Json.pretty(object) + "\n" : ObjectText.render(object));
        return 0;
    }
}
