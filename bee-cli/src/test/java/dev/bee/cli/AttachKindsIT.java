package dev.bee.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bee.core.testing.Requirements;
import jnr.ffi.LibraryLoader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The attach kinds beyond tracepoints that this machine supports: a uprobe on libc, xdp and tc on
 * the loopback interface, a socket filter and a perf_event sampler (--perf-freq), all in one object. Each program counts its hits; the
 * test makes the hits (calls getpid, sends UDP to 127.0.0.1) and then checks that bee detached the
 * network hooks from lo when it ended.
 */
class AttachKindsIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(40);

    /** libc's getpid, called through the PLT so that the uprobe on libc.so.6:getpid sees it. */
    public interface LibC {
        int getpid();
    }

    @BeforeAll
    static void requirements() {
        Requirements.requireRoot();
        Requirements.requireTool("ip");
        Requirements.requireTool("tc");
    }

    @Test
    void uprobeXdpTcSocketFilterAndPerfEventAllCount() throws Exception {
        Path obj = TestObjects.object("attach_kinds");
        LibC libc = LibraryLoader.create(LibC.class).load("c");
        try (BeeProcess bee = BeeProcess.start("run", obj.toString(), "--iface", "lo", "-o", "json",
                "--perf-freq", "99", "--interval", "200ms", "--duration", "30s")) {
            bee.awaitAttached(TIMEOUT);
            assertTrue(bee.err().contains("5 programs attached"), bee.err());
            assertTrue(Commands.run("ip", "link", "show", "lo").contains("xdp"), "xdp is on lo while running");
            Map<String, Long> hits = new HashMap<>();
            long end = System.nanoTime() + TIMEOUT.toNanos();
            try (DatagramChannel udp = DatagramChannel.open(StandardProtocolFamily.INET)) {
                while (System.nanoTime() < end && hits.size() < 5) {
                    for (int i = 0; i < 10; i++) {
                        libc.getpid();
                        udp.send(ByteBuffer.wrap(new byte[]{1, 2, 3}), new InetSocketAddress("127.0.0.1", 9));
                    }
                    BeeProcess.sleep(200);
                    for (JsonNode r : bee.records("counter_hits")) {
                        hits.put(r.get("key").get("hook").asText(), r.get("value").asLong());
                    }
                }
            }
            assertEquals(Set.of("HOOK_UPROBE", "HOOK_XDP", "HOOK_TC", "HOOK_SOCKET", "HOOK_PERF"), hits.keySet(), bee.out());
            hits.values().forEach(v -> assertTrue(v > 0, hits.toString()));
            bee.signal("INT");
            assertEquals(0, bee.waitFor(TIMEOUT), bee.err());
        }
        assertFalse(Commands.run("ip", "link", "show", "lo").contains("xdp"), "bee detached xdp from lo");
        String filters = Commands.run("tc", "filter", "show", "dev", "lo", "ingress");
        assertFalse(filters.contains("on_tc"), "bee removed its tc filter: " + filters);
    }

    /** Runs a command and returns its output (an empty string when it fails, e.g. no clsact qdisc). */
    static final class Commands {
        static String run(String... cmd) throws IOException, InterruptedException {
            Process p = new ProcessBuilder(List.of(cmd)).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor();
            return out;
        }
    }
}
