package dev.bee.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bee.core.io.Json;
import dev.bee.core.testing.Examples;
import dev.bee.core.testing.Requirements;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * tc programs on the loopback interface, with the real kernel and the real {@code tc}: bee leaves other
 * tools' filters and qdisc alone, two runs on one interface both keep counting, and a SIGKILLed run leaves
 * nothing behind (tcx links) or has its filter removed by the next run (netlink filters, forced with
 * BEE_TC_ATTACH=netlink). Each program counts the packets it sees in its own counter_packets.
 */
class TcIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(40);
    private static final String PROG = "bee_tc_count";
    /** A u32 filter that matches no packet (the first word of an IPv4 header is never 0xdeadbeef). */
    private static final String[] OTHER_FILTER = {"tc", "filter", "add", "dev", "lo", "ingress", "pref", "7", "protocol",
            "ip", "u32", "match", "u32", "0xdeadbeef", "0xffffffff", "at", "0", "classid", "1:7"};

    @BeforeAll
    static void requirements() {
        Requirements.requireRoot();
        Requirements.requireTool("tc");
        Requirements.requireTool("bpftool");
    }

    private static Map<String, String> env(String mode) {
        return mode.equals("netlink") ? Map.of("BEE_TC_ATTACH", "netlink") : Map.of();
    }

    private static BeeProcess start(String mode, String... extra) {
        Path obj = TestObjects.object("tc_count");
        List<String> args = new java.util.ArrayList<>(List.of("run", obj.toString(), "--iface", "lo", "-o", "json",
                "--interval", "200ms", "--prom-port", "0"));
        args.addAll(List.of(extra));
        return BeeProcess.start(env(mode), args.toArray(String[]::new)).awaitAttached(TIMEOUT);
    }

    private static String run(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor();
            return out;
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String filters() {
        return run("tc", "filter", "show", "dev", "lo", "ingress");
    }

    /** The packets {@code bee} counted so far (its latest counter_packets record). */
    private static long counted(BeeProcess bee) {
        List<JsonNode> r = bee.records("counter_packets");
        return r.isEmpty() ? 0 : r.get(r.size() - 1).get("value").asLong();
    }

    /** Makes loopback traffic: a few TCP connections to a local listener. */
    private static void traffic(ServerSocket server) throws IOException {
        for (int i = 0; i < 5; i++) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", server.getLocalPort()), 1000);
                server.accept().close();
            }
        }
    }

    /** Waits until {@code bee} has counted more than {@code than}, making traffic meanwhile. */
    private static long countsPast(BeeProcess bee, long than, ServerSocket server) throws IOException {
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < end) {
            traffic(server);
            BeeProcess.sleep(300);
            long n = counted(bee);
            if (n > than) {
                return n;
            }
        }
        throw new AssertionError("bee counted no packet past " + than + ":\n" + bee.out() + bee.err());
    }

    /** bee's programs on lo: its tcx links (bpftool link) and its tc filters. */
    private static boolean beeOnLo() {
        try {
            java.util.Set<Long> progs = new java.util.HashSet<>();
            for (JsonNode p : Json.mapper().readTree(Examples.exec("bpftool", "-j", "prog", "list"))) {
                if (PROG.equals(p.path("name").asText())) {
                    progs.add(p.get("id").asLong());
                }
            }
            for (JsonNode l : Json.mapper().readTree(Examples.exec("bpftool", "-j", "link", "list"))) {
                if (progs.contains(l.path("prog_id").asLong())) {
                    return true;
                }
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return filters().contains(PROG);
    }

    private static boolean awaitNothingOnLo() {
        for (int i = 0; i < 30 && beeOnLo(); i++) {
            BeeProcess.sleep(100);
        }
        return !beeOnLo();
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcx", "netlink"})
    void anotherToolsFilterAndQdiscSurviveBee(String mode) {
        run("tc", "qdisc", "add", "dev", "lo", "clsact"); // fails harmlessly when it is there already
        run(OTHER_FILTER);
        try {
            assertTrue(filters().contains("pref 7 u32"), filters());
            try (BeeProcess bee = start(mode)) {
                assertTrue(bee.err().contains("1 program attached"), bee.err());
                bee.signal("INT");
                assertEquals(0, bee.waitFor(TIMEOUT), bee.err());
            }
            assertTrue(filters().contains("pref 7 u32"), "the other tool's filter is still there: " + filters());
            assertTrue(run("tc", "qdisc", "show", "dev", "lo").contains("clsact"), "and so is the qdisc");
            assertFalse(filters().contains(PROG), "bee's own filter is gone: " + filters());
        } finally {
            run("tc", "filter", "del", "dev", "lo", "ingress", "pref", "7");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcx", "netlink"})
    void twoRunsOnOneInterfaceBothCountAndTheSecondOutlivesTheFirst(String mode) throws IOException {
        try (ServerSocket server = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
             BeeProcess first = start(mode);
             BeeProcess second = start(mode)) {
            long a = countsPast(first, 0, server);
            long b = countsPast(second, 0, server);
            countsPast(first, a, server);
            first.signal("INT");
            assertEquals(0, first.waitFor(TIMEOUT), first.err());
            long after = counted(second);
            countsPast(second, after, server);
            second.signal("INT");
            assertEquals(0, second.waitFor(TIMEOUT), second.err());
            assertTrue(b > 0);
        }
        assertTrue(awaitNothingOnLo(), "bee left a program on lo: " + filters());
    }

    @Test
    void sigkillLeavesNoTcxLinkAndNoFilter() {
        try (BeeProcess bee = start("tcx", "-v")) {
            assertTrue(bee.err().contains(PROG + " -> tcx ingress on lo"), bee.err());
            assertTrue(beeOnLo(), "attached while bee runs");
            bee.signal("KILL");
            bee.waitFor(TIMEOUT);
        }
        assertTrue(awaitNothingOnLo(), "the kernel removed the tcx link with the process: " + filters());
    }

    @Test
    void aFilterLeftBySigkillIsRemovedByTheNextRun() {
        long pid;
        try (BeeProcess bee = start("netlink", "-v")) {
            assertTrue(bee.err().contains(PROG + " -> tc ingress on lo (filter pref 48864"), bee.err());
            pid = bee.pid();
            bee.signal("KILL");
            bee.waitFor(TIMEOUT);
        }
        assertTrue(filters().contains("pref 48864") && filters().contains(PROG), "SIGKILL leaves the filter: "
                + filters());
        try (BeeProcess next = start("netlink", "--duration", "1s")) {
            assertEquals(0, next.waitFor(TIMEOUT), next.err());
            assertTrue(next.err().contains("removed 1 tc filter left on lo by an ended bee run (pid " + pid + "): "
                    + PROG), next.err());
        }
        assertTrue(awaitNothingOnLo(), "nothing of bee's on lo: " + filters());
    }
}
