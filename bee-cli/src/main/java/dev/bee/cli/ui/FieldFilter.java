package dev.bee.cli.ui;

import dev.bee.core.sink.FilterRegex;
import dev.bee.core.sink.MapRecord;
import dev.bee.core.sink.TextLinesSink;

/**
 * A panel's display filter, typed after {@code /}: a record is shown when the text of {@code field}
 * contains a match of {@code regex}, exactly as {@code --filter MAP,FIELD,REGEX} decides (the same field
 * lookup and the same text), so a filter tried on the screen can be put on the command line unchanged.
 */
record FieldFilter(String field, FilterRegex regex) {

    /**
     * Parses {@code FIELD REGEX} or {@code FIELD=REGEX} (whichever separator comes first); null for an
     * empty line, which clears the filter.
     *
     * @throws IllegalArgumentException with a message for the screen when the line is not a filter
     */
    static FieldFilter parse(String line) {
        String s = line.strip();
        if (s.isEmpty()) {
            return null;
        }
        int eq = s.indexOf('=');
        int space = indexOfSpace(s);
        int cut = eq < 0 ? space : space < 0 ? eq : Math.min(eq, space);
        if (cut <= 0) {
            throw new IllegalArgumentException("expected FIELD REGEX or FIELD=REGEX");
        }
        String field = s.substring(0, cut);
        String regex = cut == space ? s.substring(cut).strip() : s.substring(cut + 1);
        if (regex.isEmpty()) {
            throw new IllegalArgumentException("no REGEX after " + field + " (an empty line clears the filter)");
        }
        try {
            return new FieldFilter(field, FilterRegex.compile(regex));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad regular expression: " + e.getMessage());
        }
    }

    private static int indexOfSpace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    boolean accepts(MapRecord r) {
        Object v = r.field(field);
        return v != null && regex.find(TextLinesSink.text(v));
    }

    @Override
    public String toString() {
        return field + "~" + regex.pattern();
    }
}
