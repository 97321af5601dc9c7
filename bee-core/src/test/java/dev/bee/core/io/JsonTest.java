package dev.bee.core.io;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The writer of describe's and list's JSON keeps integers exact: a u64 above 2^53 (where a double,
 * and so JavaScript or jq 1.6, loses digits) is written as all its digits, never rounded or quoted.
 */
class JsonTest {
    private static final BigInteger U64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    @Test
    void u64MaxIsWrittenAsItsExactDigits() {
        assertEquals("{\"value\":18446744073709551615}", Json.line(Map.of("value", U64_MAX)));
        assertEquals("{\n  \"value\" : 18446744073709551615\n}", Json.pretty(Map.of("value", U64_MAX)));
    }

    @Test
    void longsJustAboveTwoTo53AreExactToo() {
        long odd = (1L << 53) + 1; // the first integer a double cannot hold
        assertEquals("{\"value\":9007199254740993}", Json.line(Map.of("value", odd)));
        assertTrue(Json.pretty(Map.of("value", Long.MAX_VALUE)).contains(" 9223372036854775807\n"));
    }
}
