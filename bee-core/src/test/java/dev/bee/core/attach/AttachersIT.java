package dev.bee.core.attach;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import dev.bee.core.libbpf.MapHandle;
import dev.bee.core.object.BpfObject;
import dev.bee.core.object.ObjectReader;
import dev.bee.core.runtime.Loader;
import dev.bee.core.runtime.RunOptions;
import dev.bee.core.runtime.Session;
import dev.bee.core.testing.Requirements;
import dev.bee.core.testing.TestPrograms;
import jnr.ffi.LibraryLoader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * Every attach kind this kernel supports, through the attachers themselves (no command line): one object
 * with a tracepoint, a raw and a BTF tracepoint, a uprobe, xdp and tc on lo, a socket filter, a perf event
 * sampler, a cgroup skb hook and a task iterator, each counting its hits. The test makes the hits, then
 * closes the session and checks with bpftool and ip that no program, link or hook is left. And the
 * error paths: kprobes (not in this kernel) fail with a kernel error naming the program, leaving nothing.
 */
class AttachersIT {
    private static final String[] HOOKS = {"tracepoint", "raw_tp", "tp_btf", "uprobe", "xdp", "tc", "socket", "perf",
            "cgroup_skb", "iter"};
    private static final Path CGROUP = Path.of("/sys/fs/cgroup/unified");

    /** libc's getpid and getppid, called through the PLT (the uprobe) and as system calls (the tracepoint). */
    public interface LibC {
        int getpid();

        int getppid();
    }

    @BeforeAll
    static void requirements() {
        Requirements.requireRoot();
        Requirements.requireTool("bpftool");
        Requirements.require(Files.isRegularFile(Path.of("/sys/kernel/tracing/trace_pipe")),
                "needs tracefs mounted at /sys/kernel/tracing (scripts/setup-machine.sh)");
    }

    @Test
    void everyKindAttachesCountsAndIsGoneAfterClose() throws Exception {
        Path cgroup = Files.isRegularFile(CGROUP.resolve("cgroup.procs")) ? CGROUP : Path.of("/sys/fs/cgroup");
        BpfObject object = ObjectReader.read(TestPrograms.object("attach_all"));
        RunOptions options = new RunOptions(List.of(), null, null,
                new AttachOptions("lo", "ingress", cgroup, 99, -1), false);
        Map<String, String> iterText = new ConcurrentHashMap<>();
        LibC libc = LibraryLoader.create(LibC.class).load("c");
        List<String> before = ourPrograms();
        Session session = Loader.load(object, options, iterText::put);
        try {
            assertEquals(HOOKS.length, session.attachments().size(), session.attachments().toString());
            assertTrue(Commands.run("ip", "link", "show", "lo").contains("xdp"), "xdp is on lo");
            MapHandle hits = session.map("counter_hits").orElseThrow();
            Map<String, Long> counts = new TreeMap<>();
            long end = System.nanoTime() + 30_000_000_000L;
            // cgroup_skb/ingress runs where a socket receives: send to one of this process's.
            try (DatagramChannel udp = DatagramChannel.open(StandardProtocolFamily.INET);
                 DatagramChannel receiver = DatagramChannel.open(StandardProtocolFamily.INET)) {
                receiver.bind(new InetSocketAddress("127.0.0.1", 0));
                while (System.nanoTime() < end && counts.values().stream().filter(c -> c > 0).count() < HOOKS.length - 1) {
                    libc.getpid();
                    libc.getppid();
                    udp.send(ByteBuffer.wrap("x".getBytes(StandardCharsets.UTF_8)), receiver.getLocalAddress());
                    new ProcessBuilder("true").start().waitFor();
                    counts = counts(hits);
                    Thread.sleep(50);
                }
            }
            for (String h : HOOKS) {
                if (!h.equals("iter")) {
                    assertTrue(counts.get(h) > 0, h + " counted nothing: " + counts);
                }
            }
            // The iterator ran once, when attached: its text came through, and it counted every task.
            assertTrue(iterText.getOrDefault("ak_iter", "").contains("ak_iter first task "), iterText.toString());
            assertTrue(counts.get("iter") > 0, counts.toString());
        } finally {
            session.close();
        }
        assertTrue(session.isClosed());
        List<String> left = ourPrograms();
        left.removeAll(before);
        assertEquals(List.of(), left, "programs left loaded after close");
        assertFalse(Commands.run("ip", "link", "show", "lo").contains("xdp"), "xdp left on lo");
        assertFalse(Commands.run("bpftool", "net", "show", "dev", "lo").contains("ak_tc"), "tc left on lo");
        assertFalse(Commands.run("bpftool", "cgroup", "show", cgroup.toString()).contains("ak_cgroup_skb"),
                "the cgroup hook is left");
        session.close(); // idempotent
    }

    @Test
    void aKprobeThisKernelCannotAttachIsAKernelErrorAndLeavesNothing() throws Exception {
        assumeFalse(Files.exists(Path.of("/sys/kernel/tracing/kprobe_events")),
                "this kernel has kprobes: the failure path needs one without (as the development machines)");
        BpfObject object = ObjectReader.read(TestPrograms.object("kprobe_only"));
        List<String> before = ourPrograms();
        BeeException e = assertThrows(BeeException.class, () -> Loader.load(object, new RunOptions(List.of(), null,
                null, new AttachOptions(null, "ingress", null, 49, -1), false), (p, t) -> { }));
        assertEquals(ErrorKind.KERNEL, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("ak_kprobe"), e.getMessage());
        List<String> left = ourPrograms();
        left.removeAll(before);
        assertEquals(List.of(), left, "a failed attach leaves nothing loaded");
    }

    /** Loaded programs whose names start with ak_, as "id name". */
    private static List<String> ourPrograms() {
        List<String> out = new ArrayList<>();
        for (String line : Commands.run("bpftool", "prog", "show").split("\n")) {
            int at = line.indexOf(" name ak_");
            if (at > 0 && Character.isDigit(line.charAt(0))) {
                out.add(line.substring(0, line.indexOf(':')) + " " + line.substring(at + 6).split("\\s")[0]);
            }
        }
        return out;
    }

    private static Map<String, Long> counts(MapHandle hits) {
        Map<String, Long> out = new TreeMap<>();
        for (int i = 0; i < HOOKS.length; i++) {
            byte[] key = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(i).array();
            byte[] v = hits.lookup(key, 4, 8);
            out.put(HOOKS[i], v == null ? 0 : ByteBuffer.wrap(v).order(ByteOrder.nativeOrder()).getLong());
        }
        return out;
    }

    /** Runs a command, returning its output. */
    private static final class Commands {
        static String run(String... command) {
            try {
                Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                p.waitFor();
                return out;
            } catch (Exception e) {
                throw new AssertionError(String.join(" ", command), e);
            }
        }
    }
}
