package dev.bee.core.metrics;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Prometheus label names for decoded field names: dotted and other characters become {@code _}, a leading
 * digit or a reserved {@code __} gets a prefix, and names that collide (after that, or with a name the metric
 * type reserves such as {@code le}) get a numeric suffix.
 */
final class LabelNames {
    private LabelNames() {
    }

    static List<String> of(List<String> fields, Set<String> reserved) {
        Set<String> used = new HashSet<>(reserved);
        List<String> out = new ArrayList<>(fields.size());
        for (String f : fields) {
            String base = clean(f);
            String name = base;
            for (int n = 2; !used.add(name); n++) {
                name = base + "_" + n;
            }
            out.add(name);
        }
        return out;
    }

    static String clean(String field) {
        StringBuilder sb = new StringBuilder(field.length() + 1);
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            boolean ok = c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (i > 0 && c >= '0' && c <= '9');
            if (i == 0 && c >= '0' && c <= '9') {
                sb.append('_');
                ok = true;
            }
            sb.append(ok ? c : '_');
        }
        String s = sb.length() == 0 ? "field" : sb.toString();
        return s.startsWith("__") ? "f" + s : s;
    }
}
