package dev.bee.core.attach;

import dev.bee.core.BeeException;
import dev.bee.core.libbpf.TcHandle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongPredicate;

/**
 * Removes the netlink tc filters that bee runs which are gone left on an interface: a killed process
 * cannot delete its filters, and the kernel keeps them (with their programs and maps) until someone does.
 * Only filters with {@link TcFilterTag bee's tag} whose owning pid is no longer a bee process are touched;
 * the first netlink attach on each interface in a process sweeps it, and says so in one line when it
 * removed anything.
 */
final class TcOrphans {
    private static final Logger LOG = LoggerFactory.getLogger(TcOrphans.class);
    private static final Set<Integer> SWEPT = ConcurrentHashMap.newKeySet();

    private TcOrphans() {
    }

    /** An orphan: a bee filter on one side of the interface. */
    record Orphan(boolean ingress, TcFilterDump.Filter filter) {
        long pid() {
            return TcFilterTag.ownerPid(filter.handle());
        }
    }

    /** Sweeps {@code ifindex} unless this process already did. */
    static void sweepOnce(int ifindex, String iface) {
        if (SWEPT.add(ifindex)) {
            sweep(ifindex, iface);
        }
    }

    private static void sweep(int ifindex, String iface) {
        List<Orphan> found = new ArrayList<>();
        try {
            for (boolean ingress : new boolean[]{true, false}) {
                for (TcFilterDump.Filter f : orphans(TcFilterDump.list(ifindex, ingress), TcOrphans::beeRuns)) {
                    found.add(new Orphan(ingress, f));
                }
            }
        } catch (BeeException e) {
            // Cleaning up after others must never stop this run from attaching.
            LOG.debug("cannot list tc filters on {}: {}", iface, e.getMessage());
            return;
        }
        List<String> removed = new ArrayList<>();
        Set<Long> pids = new TreeSet<>();
        for (Orphan o : found) {
            try {
                if (TcHandle.detach(ifindex, o.ingress() ? TcHandle.INGRESS : TcHandle.EGRESS, o.filter().handle(),
                        o.filter().priority())) {
                    removed.add(o.filter().name() + " " + (o.ingress() ? "ingress" : "egress"));
                    pids.add(o.pid());
                }
            } catch (BeeException e) {
                LOG.warn("cannot remove a tc filter a gone bee run (pid {}) left on {}: {}", o.pid(), iface,
                        e.getMessage());
            }
        }
        if (!removed.isEmpty()) {
            LOG.warn("removed {} tc filter{} left on {} by {} (pid{} {}): {}", removed.size(),
                    removed.size() == 1 ? "" : "s", iface, pids.size() == 1 ? "an ended bee run" : "ended bee runs",
                    pids.size() == 1 ? "" : "s", joined(pids), String.join(", ", removed));
        }
    }

    /** bee's filters among {@code filters} whose owner is not a running bee process. */
    static List<TcFilterDump.Filter> orphans(List<TcFilterDump.Filter> filters, LongPredicate beeRuns) {
        List<TcFilterDump.Filter> out = new ArrayList<>();
        for (TcFilterDump.Filter f : filters) {
            if (TcFilterTag.isBee(f.priority(), f.kind(), f.handle()) && !beeRuns.test(TcFilterTag.ownerPid(f.handle()))) {
                out.add(f);
            }
        }
        return out;
    }

    /**
     * Whether {@code pid} is a running bee: the process exists and its command line names bee (its jar or
     * launcher), so a pid the system has since given to another program counts as gone.
     */
    static boolean beeRuns(long pid) {
        if (pid == ProcessHandle.current().pid()) {
            return true;
        }
        try {
            String cmdline = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
                    StandardCharsets.UTF_8);
            return cmdline.contains("bee");
        } catch (IOException e) {
            return false;
        }
    }

    private static String joined(Set<Long> pids) {
        return String.join(", ", pids.stream().map(String::valueOf).toList());
    }
}
