package dev.bee.core.sink;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code --filter MAP,FIELD,REGEX} (repeatable, as in BumbleBee): a record of MAP is kept only if the
 * text of its FIELD contains a match of REGEX ({@link FilterRegex}: RE2 syntax, linear time). Several
 * filters on one map must all match; records of other maps pass.
 */
public final class RecordFilter {
    public record Rule(String map, String field, FilterRegex regex) {
    }

    private final List<Rule> rules;

    private RecordFilter(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    public static RecordFilter none() {
        return new RecordFilter(List.of());
    }

    public static RecordFilter parse(List<String> specs) {
        List<Rule> rules = new ArrayList<>();
        for (String s : specs == null ? List.<String>of() : specs) {
            String[] p = s.split(",", 3);
            if (p.length < 3 || p[0].isBlank() || p[1].isBlank()) {
                throw new BeeException(ErrorKind.USAGE, "--filter " + s + ": expected MAP,FIELD,REGEX",
                        "for example --filter print_opens,comm,^cat$");
            }
            try {
                rules.add(new Rule(p[0].trim(), p[1].trim(), FilterRegex.compile(p[2])));
            } catch (IllegalArgumentException e) {
                throw new BeeException(ErrorKind.USAGE, "--filter " + s + ": bad regular expression: "
                        + e.getMessage(), "write it in RE2 syntax, as Go's regexp reads it (bee run --help)");
            }
        }
        return new RecordFilter(rules);
    }

    /** Fails unless every rule names a shown map and one of its fields ({@code fields}: map to field names). */
    public void check(Map<String, Set<String>> fields) {
        for (Rule r : rules) {
            Set<String> f = fields.get(r.map());
            if (f == null) {
                throw new BeeException(ErrorKind.USAGE, "--filter: no shown map named '" + r.map() + "'",
                        "shown maps: " + String.join(", ", fields.keySet()));
            }
            if (!f.isEmpty() && !f.contains(r.field())) {
                throw new BeeException(ErrorKind.USAGE, "--filter: map " + r.map() + " has no field '" + r.field() + "'",
                        "fields: " + String.join(", ", f));
            }
        }
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    public boolean accepts(MapRecord r) {
        for (Rule rule : rules) {
            if (rule.map().equals(r.map())) {
                Object v = r.field(rule.field());
                if (v == null || !rule.regex().find(TextLinesSink.text(v))) {
                    return false;
                }
            }
        }
        return true;
    }
}
