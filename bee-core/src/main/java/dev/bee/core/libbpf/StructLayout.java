package dev.bee.core.libbpf;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A C struct as bee writes or reads it in native memory: the size bee declares and the offsets of the
 * fields it touches, on LP64 Linux (the same on every architecture bee builds for). Each struct has one
 * small class holding its constants and this description, which {@code NativeLayoutsIT} compiles against
 * the C headers ({@code sizeof}, {@code offsetof}) so a header that moves a field fails a test.
 *
 * @param header the header that declares the struct, as {@code #include <...>} names it
 * @param struct the struct's name, without {@code struct}
 * @param checks C expression (such as {@code offsetof(struct bpf_tc_hook, ifindex)}) to the value bee uses
 */
record StructLayout(String header, String struct, Map<String, Long> checks) {
    StructLayout {
        checks = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(checks));
    }

    /** {@code sizeof(struct S)} is {@code size}, and each field (name, offset, name, offset...) at its offset. */
    static StructLayout of(String header, String struct, long size, Object... fieldOffsets) {
        Map<String, Long> checks = new LinkedHashMap<>();
        checks.put("sizeof(struct " + struct + ")", size);
        for (int i = 0; i < fieldOffsets.length; i += 2) {
            checks.put("offsetof(struct " + struct + ", " + fieldOffsets[i] + ")", ((Number) fieldOffsets[i + 1]).longValue());
        }
        return new StructLayout(header, struct, checks);
    }

    /** The same, with the size bee declares given by another C expression (a versioned size constant). */
    StructLayout sizedBy(String sizeExpression, long size) {
        Map<String, Long> c = new LinkedHashMap<>();
        c.put(sizeExpression, size);
        checks.forEach((k, v) -> {
            if (!k.startsWith("sizeof(")) {
                c.put(k, v);
            }
        });
        return new StructLayout(header, struct, c);
    }

    /** One more check: a C expression and its value (a bit field's word, which offsetof cannot name). */
    StructLayout with(String expression, long value) {
        Map<String, Long> c = new LinkedHashMap<>(checks);
        c.put(expression, value);
        return new StructLayout(header, struct, c);
    }
}
