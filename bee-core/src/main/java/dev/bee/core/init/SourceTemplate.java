package dev.bee.core.init;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A C source template: C text with {@code $NAME} placeholders (capitals and '_'), which C itself never
 * uses and {@code clang-format} reads as identifiers. A line that is only {@code $NAME;} takes a block
 * of lines, each indented as the placeholder was (an empty block removes the line); anywhere else
 * {@code $NAME} takes one line of text. Values go in as they are and are never searched for
 * placeholders (a user's section or file name may hold a '$').
 *
 * <p>A placeholder without a value is an error, not a blank: the tests render every template for
 * every choice, so a misspelt or new placeholder fails there, not at a user's {@code bee init}.
 */
final class SourceTemplate {
    /** The class-path folder of bee init's templates. */
    static final String FOLDER = "/dev/bee/core/init/templates/";

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$([A-Z][A-Z_]*)");
    private static final Pattern BLOCK = Pattern.compile("([ \t]*)\\$([A-Z][A-Z_]*);");

    private final String name;
    private final List<String> lines;

    SourceTemplate(String name, String text) {
        this.name = name;
        this.lines = text.lines().toList();
    }

    /** The template {@code name} from {@link #FOLDER}. */
    static SourceTemplate load(String name) {
        try (InputStream in = SourceTemplate.class.getResourceAsStream(FOLDER + name)) {
            if (in == null) {
                throw new IllegalStateException("bee init's template " + name + " is not in the jar");
            }
            return new SourceTemplate(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String name() {
        return name;
    }

    /** The template's lines, placeholders unfilled. */
    List<String> lines() {
        return lines;
    }

    /** The text with every placeholder filled from {@code values}; each line ends in a newline. */
    String render(Map<String, String> values) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher block = BLOCK.matcher(line);
            if (block.matches()) {
                for (String l : value(values, block.group(2), i).lines().toList()) {
                    out.append(l.isEmpty() ? "" : block.group(1)).append(l).append('\n');
                }
                continue;
            }
            Matcher m = PLACEHOLDER.matcher(line);
            while (m.find()) {
                String v = value(values, m.group(1), i);
                if (v.indexOf('\n') >= 0) {
                    throw new IllegalStateException(where(i) + ": $" + m.group(1) + " has several lines; give it a"
                            + " line of its own as $" + m.group(1) + ";");
                }
                m.appendReplacement(out, Matcher.quoteReplacement(v));
            }
            m.appendTail(out).append('\n');
        }
        return out.toString();
    }

    private String value(Map<String, String> values, String placeholder, int line) {
        String v = values.get(placeholder);
        if (v == null) {
            throw new IllegalStateException(where(line) + ": no value for $" + placeholder + " (values: "
                    + values.keySet().stream().sorted().toList() + ")");
        }
        return v;
    }

    private String where(int line) {
        return "template " + name + " line " + (line + 1);
    }
}
