package dev.bee.core.sink;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

import java.util.regex.Matcher;

/**
 * The regular expression of a filter ({@code --filter MAP,FIELD,REGEX} and the screen's {@code /}), in
 * RE2 syntax and matched by re2j in time linear in the text: a record's fields come from the kernel, and
 * a backtracking engine let a pattern such as {@code (.*a){12}$} hold the watcher thread for minutes
 * on one 40-character name. RE2 has no backreferences and no lookaround; they are refused with a reason.
 */
public final class FilterRegex {
    /** What the help and the errors say about the syntax. */
    public static final String SYNTAX = "RE2 syntax (as Go's regexp): no backreferences (\\1) or lookaround ((?=...))";

    private static final java.util.regex.Pattern BACKREFERENCE =
            java.util.regex.Pattern.compile("\\\\(?:[1-9]|k<)");
    private static final java.util.regex.Pattern LOOKAROUND = java.util.regex.Pattern.compile("\\(\\?<?[=!]");

    private final Pattern pattern;

    private FilterRegex(Pattern pattern) {
        this.pattern = pattern;
    }

    /**
     * Compiles {@code regex}.
     *
     * @throws IllegalArgumentException saying what is wrong with it, without the pattern itself
     */
    public static FilterRegex compile(String regex) {
        String unsupported = unsupported(regex);
        if (unsupported != null) {
            throw new IllegalArgumentException(unsupported + " are not supported: filters run in linear time, in "
                    + SYNTAX);
        }
        try {
            return new FilterRegex(Pattern.compile(regex));
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(e.getDescription() + " (" + SYNTAX + ")");
        }
    }

    /** What backtracking-only construct {@code regex} uses outside a character class, or null. */
    private static String unsupported(String regex) {
        String outside = withoutEscapedBackslashes(regex);
        Matcher b = BACKREFERENCE.matcher(outside);
        if (b.find()) {
            return "backreferences (" + b.group() + ")";
        }
        if (LOOKAROUND.matcher(outside).find()) {
            return "lookahead and lookbehind ((?=, (?!, (?<=, (?<!)";
        }
        return null;
    }

    /** {@code \\} stands for a backslash, not the start of {@code \1}: blank those pairs out. */
    private static String withoutEscapedBackslashes(String regex) {
        return regex.replace("\\\\", "  ");
    }

    /** Whether {@code text} contains a match. */
    public boolean find(String text) {
        return pattern.matcher(text).find();
    }

    /** The expression as written. */
    public String pattern() {
        return pattern.pattern();
    }

    @Override
    public String toString() {
        return pattern();
    }
}
