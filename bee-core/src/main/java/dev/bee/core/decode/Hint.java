package dev.bee.core.decode;

import java.util.Map;

/**
 * Display hints: typedef names from {@code bee_types.h} (and BumbleBee's {@code solo_types.h}) that
 * say how a number or byte array should be shown.
 */
public enum Hint {
    NONE, IPV4, IPV6, ETHER, NET_PORT, DURATION, BOOT_TIME, HEX;

    private static final Map<String, Hint> BY_TYPEDEF = Map.of(
            "ipv4_addr", IPV4,
            "ipv6_addr", IPV6,
            "ether_addr", ETHER,
            "net_port", NET_PORT,
            "duration", DURATION,
            "boot_time_ns", BOOT_TIME,
            "hex32", HEX,
            "hex64", HEX);

    /** The hint a typedef name carries, or {@link #NONE}. */
    public static Hint ofTypedef(String name) {
        return BY_TYPEDEF.getOrDefault(name, NONE);
    }
}
