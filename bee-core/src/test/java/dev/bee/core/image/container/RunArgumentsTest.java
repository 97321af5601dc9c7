package dev.bee.core.image.container;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunArgumentsTest {

    @Test
    void noFlagsServeMetricsOn9091() {
        RunArguments r = RunArguments.none();
        assertEquals(List.of(), r.args());
        assertEquals(9091, r.metricsPort());
        assertTrue(r.metricsEnabled());
        assertNull(r.metricsAddress());
        assertFalse(r.pid() || r.iface() || r.cgroup());
    }

    @Test
    void flagsAreKeptInOrderAndReadForTheImage() {
        List<String> given = List.of("--set", "target_pid=1", "--filter=print_opens,filename,x", "--prom-port", "9100",
                "--prom-address=0.0.0.0", "-b", "hist_x,1,2", "--metric-names", "bumblebee", "--per-cpu", "--pid", "42", "--iface", "eth0",
                "--cgroup=/sys/fs/cgroup/x", "-o", "json", "-v");
        RunArguments r = RunArguments.parse(given);
        assertEquals(given, r.args());
        assertEquals(9100, r.metricsPort());
        assertEquals("0.0.0.0", r.metricsAddress());
        assertTrue(r.pid() && r.iface() && r.cgroup());
        assertFalse(r.metricsLocalOnly());
    }

    @Test
    void theLastPromPortWinsAndZeroTurnsMetricsOff() {
        RunArguments r = RunArguments.parse(List.of("--prom-port=9100", "--prom-port", "0"));
        assertEquals(0, r.metricsPort());
        assertFalse(r.metricsEnabled());
    }

    @Test
    void loopbackMetricsAreLocalOnly() {
        assertTrue(RunArguments.parse(List.of("--prom-address", "127.0.0.1")).metricsLocalOnly());
        assertTrue(RunArguments.parse(List.of("--prom-address", "::1")).metricsLocalOnly());
    }

    @Test
    void pidMinusOneMeansAllProcesses() {
        assertFalse(RunArguments.parse(List.of("--pid", "-1")).pid());
    }

    @Test
    void flagsWithoutAPlaceInAnImageAreRefusedWithTheReason() {
        for (String flag : List.of("--duration", "--max-events", "--storage", "--plain-http", "--no-tty", "--config")) {
            BeeException e = assertThrows(BeeException.class, () -> RunArguments.parse(List.of(flag, "1")), flag);
            assertEquals(ErrorKind.USAGE, e.kind());
            assertTrue(e.getMessage().contains(flag + " cannot be baked into the image"), e.getMessage());
        }
        assertTrue(assertThrows(BeeException.class, () -> RunArguments.parse(List.of("--duration=5s")))
                .getMessage().contains("restarts a container that ends"));
    }

    @Test
    void unknownFlagsPositionalsAndMissingValuesAreUsageErrors() {
        assertTrue(assertThrows(BeeException.class, () -> RunArguments.parse(List.of("--sett", "x=1")))
                .getMessage().contains("unknown bee run flag --sett"));
        assertTrue(assertThrows(BeeException.class, () -> RunArguments.parse(List.of("opensnoop:v1")))
                .getMessage().contains("is not a bee run flag"));
        assertTrue(assertThrows(BeeException.class, () -> RunArguments.parse(List.of("--set")))
                .getMessage().contains("--set needs a value"));
        assertTrue(assertThrows(BeeException.class, () -> RunArguments.parse(List.of("--per-cpu=true")))
                .getMessage().contains("takes no value"));
        assertTrue(assertThrows(BeeException.class, () -> RunArguments.parse(List.of("--prom-port", "http")))
                .getMessage().contains("is not a port"));
        assertTrue(assertThrows(BeeException.class, () -> RunArguments.parse(List.of("--prom-port", "70000")))
                .getMessage().contains("is not a port"));
    }
}
