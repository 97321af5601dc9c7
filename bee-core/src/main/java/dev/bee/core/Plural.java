package dev.bee.core;

/** A count with its noun in agreement, for messages: {@code 1 program}, {@code 2 programs}, {@code 0 maps}. */
public final class Plural {
    private Plural() {
    }

    /** {@code n} and {@code noun}, with an {@code s} unless {@code n} is 1 (every noun bee counts takes one). */
    public static String of(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
