package dev.bee.core.image.container;

import java.util.Set;
import java.util.TreeSet;

/** The {@code bee run} flags {@link RunArguments} decides on, for tests that hold them against bee run's own options. */
public final class RunFlags {
    private RunFlags() {
    }

    /** Every flag accepted after {@code --}. */
    public static Set<String> accepted() {
        Set<String> all = new TreeSet<>(RunArguments.WITH_VALUE);
        all.addAll(RunArguments.SWITCHES);
        return all;
    }

    /** The accepted flags that take no value. */
    public static Set<String> switches() {
        return new TreeSet<>(RunArguments.SWITCHES);
    }

    /** The flags refused after {@code --}. */
    public static Set<String> refused() {
        return new TreeSet<>(RunArguments.REFUSED.keySet());
    }
}
