package dev.bee.core.runtime;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import dev.bee.core.libbpf.ObjectHandle;
import dev.bee.core.libbpf.ProgramHandle;
import dev.bee.core.object.BpfObject;
import dev.bee.core.object.ProgramSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * {@code bee verify}: passes each program of an object through the kernel's verifier, attaching nothing,
 * and reports per program whether it passed, the instructions the verifier processed, its time and, for a
 * rejection, the failing path of its log. libbpf loads all programs of an object in one call and stops at
 * the first failure, so each program gets a libbpf object of its own that loads only it, opened the way
 * bee run opens objects (conventions, {@code --set}); each is closed before the next, so nothing stays
 * loaded, whatever happens.
 */
public final class Verifier {
    /** BPF_LOG_STATS: a short log with the kernel's own statistics and verification time. */
    private static final int STATS_LEVEL = 4;
    /** BPF_LOG_LEVEL1 | BPF_LOG_STATS: every instruction of the paths explored, asked for only after a rejection. */
    private static final int PATH_LEVEL = 1 | 4;
    private static final int STATS_LOG_SIZE = 1 << 20;
    /** A path log can be huge; kernels from 6.4 keep its end, which holds the rejection. */
    private static final int PATH_LOG_SIZE = 16 << 20;

    /**
     * How one program fared. {@code instructions} is null when neither the kernel nor its log said;
     * {@code verificationMicros} is the kernel's figure, or the whole load's where the kernel gives none;
     * the state counts and stack depth are the verifier's statistics, null where its log gave none;
     * {@code reason} and {@code log} (the failing path, {@code logLinesLeftOut} lines before it omitted)
     * are set for rejected programs only.
     */
    public record ProgramResult(String program, String section, boolean passed, Long instructions,
                                long verificationMicros, Long totalStates, Long peakStates,
                                Long maxStatesPerInstruction, String stackDepth, String reason, List<String> log,
                                int logLinesLeftOut) {
    }

    /** Every program's result; {@code passed} when none was rejected. */
    public record Report(String object, boolean passed, int rejected, List<ProgramResult> programs) {
    }

    private record Attempt(boolean passed, String log, long instructions, long wallMicros, String failure) {
    }

    private Verifier() {
    }

    /**
     * Verifies every program of {@code object} with the {@code --set} overrides {@code sets}, showing at most
     * {@code logLines} lines of a rejected program's log (0: all of the failing path).
     */
    public static Report verify(BpfObject object, List<String> sets, int logLines) {
        if (object.programs().isEmpty()) {
            throw new BeeException(ErrorKind.INPUT, object.origin() + " has no programs to verify",
                    "programs are functions in a SEC(\"...\") section");
        }
        List<GlobalOverrides.Override> overrides = GlobalOverrides.parse(object, sets);
        KernelSetup.requireCapabilities("bee verify", object, false);
        KernelSetup.raiseMemlock();
        List<ProgramResult> results = new ArrayList<>();
        for (ProgramSpec p : object.programs()) {
            results.add(verify(object, overrides, p, logLines));
        }
        int rejected = (int) results.stream().filter(r -> !r.passed()).count();
        return new Report(object.origin(), rejected == 0, rejected, List.copyOf(results));
    }

    private static ProgramResult verify(BpfObject object, List<GlobalOverrides.Override> overrides, ProgramSpec p,
                                        int logLines) {
        Attempt a = attempt(object, overrides, p.name(), STATS_LEVEL, STATS_LOG_SIZE);
        if (a.passed()) {
            return result(p, true, a, a, null, List.of(), 0);
        }
        // The statistics log holds only the verdict; load again for the path that led to it.
        Attempt path = attempt(object, overrides, p.name(), PATH_LEVEL, PATH_LOG_SIZE);
        Attempt shown = path.passed() ? a : path;
        String reason = VerifierLog.reason(shown.log());
        VerifierLog.Excerpt excerpt = VerifierLog.failingPath(shown.log(), logLines);
        return result(p, false, shown, a, reason != null ? reason : shown.failure(), excerpt.lines(), excerpt.leftOut());
    }

    /** A result with the statistics of {@code counted} and the time of {@code timed} (the statistics-only load). */
    private static ProgramResult result(ProgramSpec p, boolean passed, Attempt counted, Attempt timed, String reason,
                                        List<String> log, int leftOut) {
        VerifierLog.States states = VerifierLog.states(counted.log());
        return new ProgramResult(p.name(), p.section(), passed, instructions(counted), micros(timed),
                boxed(states.total()), boxed(states.peak()), boxed(states.maxPerInstruction()),
                VerifierLog.stackDepth(counted.log()), reason, log, leftOut);
    }

    private static Long boxed(OptionalLong v) {
        return v.isPresent() ? v.getAsLong() : null;
    }

    private static Long instructions(Attempt a) {
        return a.instructions() > 0 ? a.instructions() : null;
    }

    private static long micros(Attempt a) {
        return VerifierLog.verificationMicros(a.log()).orElse(a.wallMicros());
    }

    /** Opens the object, loads only {@code program} with a log at {@code level}, and closes it again. */
    private static Attempt attempt(BpfObject object, List<GlobalOverrides.Override> overrides, String program,
                                   int level, int logSize) {
        try (ObjectHandle handle = Loader.open(object, overrides)) {
            ProgramHandle target = null;
            for (ProgramHandle h : handle.programs()) {
                boolean isTarget = h.name().equals(program);
                h.setAutoload(isTarget);
                if (isTarget) {
                    target = h;
                }
            }
            if (target == null) {
                throw new BeeException(ErrorKind.INPUT, "libbpf finds no program '" + program + "' in "
                        + object.origin(), "check the object with 'bee describe'");
            }
            target.logVerifier(level, logSize);
            long start = System.nanoTime();
            try {
                handle.load();
            } catch (ObjectHandle.LoadFailure f) {
                if (!program.equals(f.program())) {
                    throw Loader.explain(object, f); // not the program: maps, BTF, the object itself
                }
                String log = target.verifierLog();
                // Shown when the verifier logged nothing: libbpf refused first, or the kernel did (EPERM).
                BeeException explained = Loader.explain(object, f);
                String failure = explained.getMessage().replace("\n", "; ")
                        + (explained.hint() == null ? "" : " (" + explained.hint() + ")");
                return new Attempt(false, log, VerifierLog.processedInstructions(log).orElse(0),
                        (System.nanoTime() - start) / 1000, failure);
            }
            long wall = (System.nanoTime() - start) / 1000;
            String log = target.verifierLog();
            OptionalLong fromLog = VerifierLog.processedInstructions(log);
            long verified = target.verifiedInstructions();
            return new Attempt(true, log, verified > 0 ? verified : fromLog.orElse(0), wall, null);
        }
    }
}
