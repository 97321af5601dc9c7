package dev.bee.cli;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import dev.bee.core.object.BpfObject;
import dev.bee.core.runtime.Verifier;
import dev.bee.core.io.Json;
import dev.bee.core.sink.TextTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code bee verify FILE.o|REF}: every program through the kernel's verifier, nothing attached. */
@Command(name = "verify", header = "Check every program against this kernel's verifier, attaching nothing.",
        description = "Load each program of an eBPF object into the kernel's verifier, one at a time, without "
                + "attaching anything, and show whether it passed, the instructions the verifier processed, the "
                + "states it explored (total and peak), the stack depth and its time. For a rejected program the verifier's log is shown from its last branch to the "
                + "rejected instruction. Exits with 5 when any program is rejected. Nothing stays loaded.")
final class VerifyCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;

    @ParentCommand
    Main bee;

    @Mixin
    FormatOption format;

    @Mixin
    RegistryOption registry;

    @Mixin
    ProgramOption program;

    @Option(names = "--log-lines", paramLabel = "N", defaultValue = "40",
            description = "Lines of a rejected program's log to show, ending at the rejection;"
                    + " 0: the whole failing path (default: ${DEFAULT-VALUE}).")
    int logLines;

    @Override
    public Integer call() {
        if (logLines < 0) {
            throw new BeeException(ErrorKind.USAGE, "--log-lines must be 0 or more");
        }
        BpfObject object = program.open(bee.store(), registry);
        Verifier.Report report = Verifier.verify(object, program.sets, logLines);
        System.out.print(format.json() ? Json.pretty(report) + "\n" : render(report));
        System.out.flush();
        if (!report.passed()) {
            int n = report.programs().size();
            throw new BeeException(ErrorKind.KERNEL, "the verifier rejected " + report.rejected() + " of " + n
                    + " program" + (n == 1 ? "" : "s") + " of " + program.target,
                    "the log ends at the rejected instruction and says why; fix the source and build again");
        }
        return 0;
    }

    static String render(Verifier.Report report) {
        TextTable table = new TextTable(List.of("PROGRAM", "SECTION", "RESULT", "INSNS", "STATES", "PEAK", "STACK",
                "TIME"));
        for (Verifier.ProgramResult r : report.programs()) {
            table.row(List.of(r.program(), r.section(), r.passed() ? "passed" : "rejected", orDash(r.instructions()),
                    orDash(r.totalStates()), orDash(r.peakStates()), orDash(r.stackDepth()),
                    time(r.verificationMicros())));
        }
        StringBuilder sb = new StringBuilder(table.toString());
        for (Verifier.ProgramResult r : report.programs()) {
            if (r.passed()) {
                continue;
            }
            sb.append('\n').append(r.program()).append(": ").append(r.reason()).append('\n');
            if (!r.log().isEmpty()) {
                sb.append("-- verifier log of ").append(r.program())
                        .append(r.logLinesLeftOut() > 0 ? " (" + r.logLinesLeftOut() + " earlier lines left out)" : "")
                        .append(" --\n");
                r.log().forEach(l -> sb.append(l).append('\n'));
                sb.append("-- end of verifier log --\n");
            }
        }
        return sb.toString();
    }

    /** "-" where the verifier's log did not say. */
    private static Object orDash(Object value) {
        return value == null ? "-" : value;
    }

    private static String time(long micros) {
        if (micros < 1000) {
            return micros + "us";
        }
        if (micros < 1_000_000) {
            return String.format(Locale.ROOT, "%.1fms", micros / 1000.0);
        }
        return String.format(Locale.ROOT, "%.2fs", micros / 1_000_000.0);
    }
}
