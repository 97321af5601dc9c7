package dev.bee.core.btf;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class NestingLimitTest {
    @Test
    void deeperThanTheLimitIsAnInputError() {
        NestingLimit n = new NestingLimit("vmlinux");
        for (int i = 0; i < NestingLimit.MAX_DEPTH; i++) {
            n.enter(i);
        }
        n.leave();
        n.enter(1); // back at the limit, not past it
        BeeException e = assertThrows(BeeException.class, () -> n.enter(42));
        assertEquals(ErrorKind.INPUT, e.kind());
        assertEquals("vmlinux: BTF type 42 nests deeper than 256 levels; cannot write it as C", e.getMessage());
    }
}
