package dev.bee.core;

import java.nio.file.Path;

/** Where bee keeps its files: {@code $BEE_HOME}, else {@code ~/.bee}; caches live in {@code cache/}. */
public final class BeeHome {
    private BeeHome() {
    }

    public static Path root() {
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
