package dev.bee.core.attach;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TcFilterTagTest {
    @Test
    void theHandleCarriesThePidAndASequenceNumber() {
        int h = TcFilterTag.handle(32113, 1);
        assertEquals(0x807d7101, h, Integer.toHexString(h));
        assertEquals(32113, TcFilterTag.ownerPid(h));
        assertEquals(4194303, TcFilterTag.ownerPid(TcFilterTag.handle(4194303, 255)), "the largest pid fits");
    }

    @Test
    void onlyBpfFiltersWithBeesPriorityAndMarkedHandleAreBees() {
        int h = TcFilterTag.handle(1234, 0);
        assertTrue(TcFilterTag.isBee(TcFilterTag.PRIORITY, "bpf", h));
        assertFalse(TcFilterTag.isBee(49152, "bpf", h), "another priority");
        assertFalse(TcFilterTag.isBee(TcFilterTag.PRIORITY, "u32", h), "another kind");
        assertFalse(TcFilterTag.isBee(TcFilterTag.PRIORITY, "bpf", 1), "a handle the kernel picked");
        assertFalse(TcFilterTag.isBee(TcFilterTag.PRIORITY, "bpf", 0x7fffffff), "the largest handle the kernel picks");
    }

    @Test
    void outOfRangeValuesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> TcFilterTag.handle(1 << 22, 0));
        assertThrows(IllegalArgumentException.class, () -> TcFilterTag.handle(0, 0));
        assertThrows(IllegalArgumentException.class, () -> TcFilterTag.handle(10, 256));
    }
}
