package dev.bee.core.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the kernel verifier's log: the statistics it ends with ("processed N insns", "verification
 * time N usec"), the reason for a rejection, and the part of a rejection's log worth showing. A log of
 * a rejected program can run to thousands of lines, one per instruction on every path explored; what
 * matters is the path that failed, which starts at the verifier's last branch ("from A to B:") and ends
 * at the rejected instruction.
 */
public final class VerifierLog {
    private static final Pattern PROCESSED = Pattern.compile("^processed (\\d+) insns", Pattern.MULTILINE);
    private static final Pattern TIME = Pattern.compile("^verification time (\\d+) usec", Pattern.MULTILINE);
    private static final Pattern STATISTICS = Pattern.compile("^(processed \\d+ insns|verification time |stack depth )");
    private static final Pattern BRANCH = Pattern.compile("^from \\d+ to \\d+: ");
    private static final Pattern TOTAL_STATES = Pattern.compile("^processed \\d+ insns.* total_states (\\d+)",
            Pattern.MULTILINE);
    private static final Pattern PEAK_STATES = Pattern.compile("^processed \\d+ insns.* peak_states (\\d+)",
            Pattern.MULTILINE);
    private static final Pattern MAX_STATES = Pattern.compile("^processed \\d+ insns.* max_states_per_insn (\\d+)",
            Pattern.MULTILINE);
    private static final Pattern STACK = Pattern.compile("^stack depth ([\\d+]+)$", Pattern.MULTILINE);

    /** Lines of a log, and how many lines before them were left out. */
    public record Excerpt(List<String> lines, int leftOut) {
    }

    private VerifierLog() {
    }

    /** The instructions the verifier processed, from its statistics line. */
    public static OptionalLong processedInstructions(String log) {
        return last(PROCESSED, log);
    }

    /** The verification time in microseconds (kernels log it at level BPF_LOG_STATS). */
    public static OptionalLong verificationMicros(String log) {
        return last(TIME, log);
    }

    /**
     * The verifier's state counts from its statistics line ({@code processed N insns (limit L)
     * max_states_per_insn M total_states T peak_states P mark_read R}); each is absent where the line lacks it.
     */
    public record States(OptionalLong total, OptionalLong peak, OptionalLong maxPerInstruction) {
    }

    public static States states(String log) {
        return new States(last(TOTAL_STATES, log), last(PEAK_STATES, log), last(MAX_STATES, log));
    }

    /** The stack depth line: bytes of stack per function, {@code 24+0} for a program and one subprogram. */
    public static String stackDepth(String log) {
        Matcher m = STACK.matcher(log);
        String found = null;
        while (m.find()) {
            found = m.group(1);
        }
        return found;
    }

    private static OptionalLong last(Pattern p, String log) {
        Matcher m = p.matcher(log);
        OptionalLong found = OptionalLong.empty();
        while (m.find()) {
            found = OptionalLong.of(Long.parseLong(m.group(1)));
        }
        return found;
    }

    /** Why the program was rejected: the verifier's last line before its statistics, or null in an empty log. */
    public static String reason(String log) {
        List<String> body = body(log);
        return body.isEmpty() ? null : body.get(body.size() - 1);
    }

    /**
     * The failing path: from the verifier's last branch to the rejection, at most its last {@code maxLines}
     * lines (0: no limit); the statistics are left out (they are reported on their own).
     */
    public static Excerpt failingPath(String log, int maxLines) {
        List<String> body = body(log);
        int start = 0;
        for (int i = body.size() - 1; i >= 0; i--) {
            if (BRANCH.matcher(body.get(i)).find()) {
                start = i;
                break;
            }
        }
        if (maxLines > 0) {
            start = Math.max(start, body.size() - maxLines);
        }
        return new Excerpt(List.copyOf(body.subList(start, body.size())), start);
    }

    private static List<String> body(String log) {
        List<String> out = new ArrayList<>();
        for (String line : log.split("\n")) {
            if (!line.isBlank() && !STATISTICS.matcher(line).find()) {
                out.add(line.stripTrailing());
            }
        }
        return out;
    }
}
