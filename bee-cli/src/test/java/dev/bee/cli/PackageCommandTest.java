package dev.bee.cli;

import dev.bee.core.image.container.RunFlags;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line of bee package, without building anything. */
class PackageCommandTest {

    /** bee run as the command line builds it: its own options and the global ones it inherits. */
    private static CommandSpec run() {
        return Main.commandLine().getSubcommands().get("run").getCommandSpec();
    }

    private static Set<String> runOptionNames() {
        CommandSpec run = run();
        Set<String> names = new TreeSet<>();
        for (OptionSpec o : run.options()) {
            names.addAll(Set.of(o.names()));
        }
        return names;
    }

    @Test
    void everyFlagBakedIntoAnImageIsABeeRunFlagWithTheSameArity() {
        CommandSpec run = run();
        Set<String> names = runOptionNames();
        for (String flag : RunFlags.accepted()) {
            assertTrue(names.contains(flag), flag + " is not a bee run option");
        }
        for (String flag : RunFlags.refused()) {
            assertTrue(names.contains(flag), flag + " is not a bee run option");
        }
        // Switches take no value, the others one: RunArguments reads them the same way.
        for (String flag : RunFlags.accepted()) {
            OptionSpec o = run.findOption(flag);
            boolean takesValue = o.arity().max() > 0;
            boolean isSwitch = RunFlags.switches().contains(flag);
            assertEquals(!isSwitch, takesValue, flag);
        }
    }

    @Test
    void everyRunFlagIsEitherAcceptedOrRefused() {
        Set<String> decided = new TreeSet<>(RunFlags.accepted());
        decided.addAll(RunFlags.refused());
        Set<String> undecided = new TreeSet<>(runOptionNames());
        undecided.removeAll(decided);
        assertEquals(Set.of(), undecided, "bee run options that bee package neither bakes in nor refuses");
    }

    @Test
    void tarAndOciTargetsExcludeEachOther() {
        CliRun r = CliRun.of("package", "x:v1", "y:v1", "--base", "b:1", "--to-tar", "a.tar", "--to-oci", "dir");
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("mutually exclusive"), r.err());
    }

    @Test
    void aDigestIsNoNameForTheImage() {
        CliRun r = CliRun.of("package", "x:v1", "y@sha256:" + "0".repeat(64), "--base", "b:1");
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("IMAGE cannot be a digest reference"), r.err());
    }

    @Test
    void helpListsTheCommand() {
        CliRun r = CliRun.of("--help");
        assertTrue(r.out().contains("package"), r.out());
        CliRun h = CliRun.of("help", "package");
        assertTrue(h.out().contains("--to-tar") && h.out().contains("--k8s") && h.out().contains("--base"), h.out());
    }
}
