package dev.bee.core;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PluralTest {
    @Test
    void oneIsSingularEverythingElsePlural() {
        assertEquals("0 programs", Plural.of(0, "program"));
        assertEquals("1 program", Plural.of(1, "program"));
        assertEquals("2 maps", Plural.of(2, "map"));
        assertEquals("1 byte", Plural.of(1, "byte"));
        assertEquals("-1 bytes", Plural.of(-1, "byte"));
    }
}
