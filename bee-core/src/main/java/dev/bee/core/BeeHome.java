package dev.bee.core;

import java.nio.file.Path;

/**
 * Where bee keeps its files: the {@code bee.home} system property (set by {@code --config-dir}), else
 * {@code $BEE_HOME}, else {@code ~/.bee}; caches live in {@code cache/}.
 */
public final class BeeHome {
    public static final String PROPERTY = "bee.home";

    private BeeHome() {
    }

    public static Path root() {
        String set = System.getProperty(PROPERTY);
        if (set != null && !set.isBlank()) {
            return Path.of(set);
        }
        String env = System.getenv("BEE_HOME");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of(System.getProperty("user.home"), ".bee");
    }

    public static Path cache() {
        return root().resolve("cache");
    }
}
