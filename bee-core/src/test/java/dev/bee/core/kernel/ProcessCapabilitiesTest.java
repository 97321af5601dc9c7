package dev.bee.core.kernel;

import dev.bee.core.BeeException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Capability masks as /proc/PID/status shows them. */
class ProcessCapabilitiesTest {
    /** Root on the development machines: everything but CAP_SYS_RESOURCE (bit 24). */
    private static final String ROOT = """
            Name:\tjava
            Uid:\t0\t0\t0\t0
            CapInh:\t0000000000000000
            CapPrm:\t000001fffeffffff
            CapEff:\t000001fffeffffff
            CapBnd:\t000001fffeffffff
            CapAmb:\t0000000000000000
            NoNewPrivs:\t0
            """;

    /** nobody started by setpriv with ambient CAP_BPF, CAP_PERFMON, CAP_SYS_ADMIN and CAP_DAC_READ_SEARCH. */
    private static final String NOBODY_WITH_AMBIENT = """
            Uid:\t65534\t65534\t65534\t65534
            CapInh:\t000000c000200004
            CapPrm:\t000000c000200004
            CapEff:\t000000c000200004
            CapBnd:\t000001fffeffffff
            CapAmb:\t000000c000200004
            """;

    @Test
    void rootHasEveryCapabilityBeeUses() {
        ProcessCapabilities caps = ProcessCapabilities.parse(ROOT);
        for (Capability c : Capability.values()) {
            assertTrue(caps.has(c), c.capName());
            assertTrue(caps.canGain(c), c.capName());
        }
        assertEquals(0x1fffeffffffL, caps.effective());
    }

    @Test
    void ambientCapabilitiesAreEffective() {
        ProcessCapabilities caps = ProcessCapabilities.parse(NOBODY_WITH_AMBIENT);
        assertTrue(caps.has(Capability.BPF));
        assertTrue(caps.has(Capability.PERFMON));
        assertTrue(caps.has(Capability.SYS_ADMIN));
        assertTrue(caps.has(Capability.DAC_READ_SEARCH));
        assertFalse(caps.has(Capability.NET_ADMIN));
        assertFalse(caps.has(Capability.DAC_OVERRIDE));
        assertTrue(caps.canGain(Capability.NET_ADMIN));
    }

    @Test
    void namesForManPagesAndSetpriv() {
        assertEquals("CAP_DAC_READ_SEARCH", Capability.DAC_READ_SEARCH.capName());
        assertEquals("dac_read_search", Capability.DAC_READ_SEARCH.shortName());
        assertEquals(39, Capability.BPF.bit());
        assertEquals(38, Capability.PERFMON.bit());
    }

    @Test
    void aStatusWithoutCapabilitiesIsAnError() {
        assertThrows(BeeException.class, () -> ProcessCapabilities.parse("Name:\tjava\n"));
    }
}
