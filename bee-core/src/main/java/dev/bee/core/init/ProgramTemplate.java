package dev.bee.core.init;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes the C source of a new program from {@link InitChoices}, out of two {@link SourceTemplate}s. The
 * program kind's is a whole program (templates/tcp_connect.c, tcp_connect_kprobe.c, file_open.c,
 * process_exit.c, probe.c): hooks that gather the fields of one occurrence into a {@code struct info_t}
 * with a measurement in nanoseconds (connect latency, open latency, process lifetime, time since the last
 * hit) and pass both to {@code record()}. Where it says {@code $OUTPUT;} goes the map and output's
 * (templates/ringbuf_print.h ... hash_hist.h): the map, and the {@code record()} that writes a typed ring
 * buffer event or a hash entry keyed by the label fields, copied from info_t. Every combination builds
 * with {@code bee build} and runs with {@code bee run} as written.
 */
public final class ProgramTemplate {
    /** A member line of info_t: its declaration (with any comment), its name, and an array length. */
    private static final Pattern MEMBER = Pattern.compile("\t([^;/,()]*?(?<!\\w)([A-Za-z_]\\w*)\\s*(\\[\\w+])?;[^;]*)");

    private ProgramTemplate() {
    }

    /** One member of the program's {@code struct info_t}, as its template declares it. */
    record Member(String declaration, String name, boolean array) {
        /** A statement that copies it from {@code info} to {@code target} ({@code e->}, {@code key.}). */
        String copyTo(String target) {
            return array
                    ? "__builtin_memcpy(" + target + name + ", info->" + name + ", sizeof(" + target + name + "));"
                    : target + name + " = info->" + name + ";";
        }
    }

    /** The C source for {@code choices}; {@code fileName} appears in its comments. */
    public static String render(InitChoices choices, String fileName) {
        List<String> files = templates(choices);
        SourceTemplate program = SourceTemplate.load(files.get(0));
        SourceTemplate output = SourceTemplate.load(files.get(1));
        ProgramKind kind = choices.kind();
        Map<String, String> values = new HashMap<>();
        values.put("FILE", fileName);
        values.put("OBJECT", (fileName.endsWith(".c") ? fileName.substring(0, fileName.length() - 2) : fileName) + ".o");
        values.put("MAP", mapName(choices));
        values.put("OCCURRENCE", kind.occurrence());
        values.put("OCCURRENCES", kind.mapBase());
        values.put("MEASURE", kind.measure());
        if (choices.section() != null) {
            values.put("SECTION", choices.section());
            values.put("FUNCTION", "on_" + choices.section().replaceAll("[^A-Za-z0-9]+", "_")
                    .replaceAll("^_|_$", "").toLowerCase(Locale.ROOT));
        }
        Info info = Info.of(program, kind.labels());
        values.put("LABEL_FIELDS", lines(info.labels(), Member::declaration));
        values.put("DETAIL_FIELDS", lines(info.details(), Member::declaration));
        values.put("COPY_LABELS_TO_EVENT", lines(info.labels(), m -> m.copyTo("e->")));
        values.put("COPY_DETAILS_TO_EVENT", lines(info.details(), m -> m.copyTo("e->")));
        values.put("COPY_LABELS_TO_KEY", lines(info.labels(), m -> m.copyTo("key.")));
        values.put("OUTPUT", output.render(values));
        return program.render(values);
    }

    /** The name of the map the program shows (e.g. {@code counter_connects}). */
    public static String mapName(InitChoices choices) {
        return choices.output().prefix() + choices.kind().mapBase();
    }

    /** The program kind's template and the map and output's, which {@link #render} fills in. */
    static List<String> templates(InitChoices choices) {
        String program = choices.kind().defaultFile();
        if (choices.kprobe()) {
            program = program.replace(".c", "_kprobe.c");
        }
        String output = choices.map().name().toLowerCase(Locale.ROOT) + "_"
                + choices.output().name().toLowerCase(Locale.ROOT) + ".h";
        return List.of(program, output);
    }

    /**
     * The members of a program template's {@code struct info_t}, in order: the labels (hash keys and metric
     * labels) and the details (only printed). Comment lines in the struct are not members.
     */
    record Info(List<Member> labels, List<Member> details) {
        static Info of(SourceTemplate program, List<String> labelNames) {
            List<String> lines = program.lines();
            int start = lines.indexOf("struct info_t {");
            int end = start < 0 ? -1 : lines.subList(start, lines.size()).indexOf("};");
            if (end < 0) {
                throw new IllegalStateException("template " + program.name() + " has no struct info_t { ... };");
            }
            List<Member> labels = new ArrayList<>();
            List<Member> details = new ArrayList<>();
            for (String line : lines.subList(start + 1, start + end)) {
                if (line.isBlank() || line.startsWith("\t/*")) {
                    continue;
                }
                Matcher m = MEMBER.matcher(line);
                if (!m.matches()) {
                    throw new IllegalStateException("template " + program.name() + ": struct info_t member '"
                            + line.strip() + "' is not 'TYPE NAME;' or 'TYPE NAME[N];' with an optional /* comment */");
                }
                Member member = new Member(m.group(1), m.group(2), m.group(3) != null);
                (labelNames.contains(member.name()) ? labels : details).add(member);
            }
            if (labels.size() != labelNames.size()) {
                throw new IllegalStateException("template " + program.name() + ": struct info_t lacks a label of "
                        + labelNames);
            }
            return new Info(List.copyOf(labels), List.copyOf(details));
        }
    }

    private static String lines(List<Member> members, Function<Member, String> line) {
        StringBuilder sb = new StringBuilder();
        for (Member m : members) {
            sb.append(line.apply(m)).append('\n');
        }
        return sb.toString();
    }
}
