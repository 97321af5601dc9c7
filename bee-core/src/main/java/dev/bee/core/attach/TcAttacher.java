package dev.bee.core.attach;

import dev.bee.core.libbpf.Errno;
import dev.bee.core.libbpf.LibbpfException;
import dev.bee.core.libbpf.ProgramHandle;
import dev.bee.core.object.ProgramSpec;
import dev.bee.core.object.ProgramType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code tc}, {@code tc/ingress}, {@code tc/egress}, {@code tcx/ingress}, {@code tcx/egress}, {@code
 * classifier}: a tcx link where the kernel has tcx (6.6+), which ends with the process however it ends and
 * leaves other tools' programs alone; else a netlink filter ({@link NetlinkTcFilter}). Whether tcx works
 * is learned once per process, from the first attempt.
 */
final class TcAttacher implements Attacher {
    /** {@code BEE_TC_ATTACH=netlink} skips tcx (tests of the fallback; kernels whose tcx misbehaves). */
    static final String MODE_VARIABLE = "BEE_TC_ATTACH";
    private static final Logger LOG = LoggerFactory.getLogger(TcAttacher.class);
    /** Null until the first tcx attempt says whether this kernel has tcx links. */
    private static volatile Boolean tcxWorks;

    @Override
    public Attachment attach(ProgramSpec spec, ProgramHandle program, AttachOptions options) {
        int idx = NetworkAttachers.ifindex(spec, options, true);
        boolean ingress = ingress(spec, options);
        String side = ingress ? "ingress" : "egress";
        if (tryTcx(spec)) {
            try {
                LinkAttachment a = LinkAttachment.of(spec.name(), program.attachTcx(idx, ingress, options.iface()));
                tcxWorks = true;
                return a;
            } catch (LibbpfException e) {
                if (tcxWorks != null || (e.errno() != Errno.EINVAL && e.errno() != Errno.EOPNOTSUPP)) {
                    throw AttachErrors.failed(spec, "tcx " + side + " on " + options.iface(), e, null, null);
                }
                tcxWorks = false;
                LOG.debug("no tcx links on this kernel ({}): using netlink tc filters", e.getMessage());
            }
        }
        try {
            return NetlinkTcFilter.attach(program, idx, options.iface(), ingress);
        } catch (LibbpfException e) {
            throw AttachErrors.failed(spec, "tc " + side + " on " + options.iface(), e, null, null);
        }
    }

    private static boolean tryTcx(ProgramSpec spec) {
        // tcx takes classifiers only; SEC("action") programs can only be netlink filters (and fail there).
        return spec.type() == ProgramType.SCHED_CLS && !Boolean.FALSE.equals(tcxWorks)
                && !"netlink".equals(System.getenv(MODE_VARIABLE));
    }

    /** The section's direction (tc/ingress, tcx/egress...), else {@code --tc-direction}. */
    static boolean ingress(ProgramSpec spec, AttachOptions options) {
        if (spec.expectedAttachType() != null) {
            return !spec.expectedAttachType().endsWith("EGRESS");
        }
        return options.tcDirection().equals("ingress"); // AttachOptions checked it
    }
}
