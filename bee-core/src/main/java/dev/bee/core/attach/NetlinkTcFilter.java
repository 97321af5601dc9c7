package dev.bee.core.attach;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import dev.bee.core.libbpf.ProgramHandle;
import dev.bee.core.libbpf.TcHandle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tc program attached as a netlink filter, for kernels without tcx: tagged as bee's ({@link TcFilterTag}),
 * after sweeping the interface of filters that dead bee runs left ({@link TcOrphans}). Closing deletes this
 * filter only, and the clsact qdisc only when this attach created it and nothing is left in it.
 */
final class NetlinkTcFilter implements Attachment {
    private static final Logger LOG = LoggerFactory.getLogger(NetlinkTcFilter.class);
    private static final AtomicInteger SEQ = new AtomicInteger();

    private final TcHandle tc;
    private final String description;

    private NetlinkTcFilter(TcHandle tc, String description) {
        this.tc = tc;
        this.description = description;
    }

    /** Attaches {@code program} at {@code ingress} or egress of {@code ifindex}; throws LibbpfException. */
    static NetlinkTcFilter attach(ProgramHandle program, int ifindex, String iface, boolean ingress) {
        TcOrphans.sweepOnce(ifindex, iface);
        int seq = SEQ.getAndIncrement();
        if (seq >= TcFilterTag.maxPerProcess()) {
            throw new BeeException(ErrorKind.USAGE, "bee tags at most " + TcFilterTag.maxPerProcess()
                    + " tc filters per run", "split the programs over several bee runs");
        }
        int handle = TcFilterTag.handle(ProcessHandle.current().pid(), seq);
        TcHandle tc = TcHandle.attach(program, ifindex, iface, ingress ? TcHandle.INGRESS : TcHandle.EGRESS, handle,
                TcFilterTag.PRIORITY);
        return new NetlinkTcFilter(tc, program.name() + " -> " + tc.description());
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public void close() {
        tc.close();
        if (tc.createdHook() && isEmpty(tc.ifindex())) {
            TcHandle.destroyHook(tc.ifindex());
        }
    }

    /** Whether no filter (anyone's) is left on either side of the qdisc; false when that cannot be told. */
    private static boolean isEmpty(int ifindex) {
        try {
            return TcFilterDump.list(ifindex, true).isEmpty() && TcFilterDump.list(ifindex, false).isEmpty();
        } catch (BeeException e) {
            LOG.debug("keeping the clsact qdisc of interface {}: {}", ifindex, e.getMessage());
            return false;
        }
    }
}
