package dev.bee.core.image.container;

import dev.bee.core.image.BpfmanLabels;
import dev.bee.core.object.AttachKind;
import dev.bee.core.object.BpfObject;
import dev.bee.core.object.MapSpec;
import dev.bee.core.object.MapType;
import dev.bee.core.object.ProgramSpec;
import dev.bee.core.object.ProgramType;
import dev.bee.core.kernel.CapabilityCheck;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * What a pod running {@code bee run} for an object needs from its node, derived from the object's
 * program types, attach kinds and map types and from the run flags, each with the reason (the
 * DaemonSet writes the reasons as comments). The capability rules follow the kernel's checks in
 * {@code bpf(2)} (Linux 5.8 and later, where CAP_BPF and CAP_PERFMON exist):
 * <ul>
 *   <li>always CAP_BPF (programs, maps), CAP_PERFMON (tracing programs, perf events) and
 *       CAP_SYS_RESOURCE (RLIMIT_MEMLOCK, which BPF memory counts against before Linux 5.11);</li>
 *   <li>CAP_NET_ADMIN for the program types the kernel calls network-admin types (tc, xdp, lwt,
 *       sk_skb, sk_msg, flow dissector, cgroup socket and device hooks, sock_ops, netfilter, freplace),
 *       for cgroup and sk_lookup attachments, and for socket/device/xsk/cpu map types;</li>
 *   <li>CAP_NET_RAW for socket filters (bee attaches them to a packet socket);</li>
 *   <li>CAP_SYS_ADMIN only for kprobe.multi and uprobe.multi links and BPF LSM programs;</li>
 *   <li>privileged only for programs bee cannot attach, whose needs it does not know;</li>
 *   <li>and never less than what {@code bee run} checks for before it loads ({@link CapabilityCheck}).</li>
 * </ul>
 * Host namespaces: hostPID for uprobes and USDT probes and {@code --pid} (binaries and pids are the
 * host's), hostNetwork for xdp, tc and socket programs and {@code --iface} (the node's interfaces);
 * the node's cgroup folder is mounted for cgroup and sock_ops programs and {@code --cgroup}.
 *
 * @param capabilities capability name (without CAP_) to reason, sorted
 * @param hostPid      why the pod needs the host's PID namespace, or null
 * @param hostNetwork  why the pod needs the host's network namespace, or null
 * @param cgroups      why the pod mounts the node's /sys/fs/cgroup, or null
 * @param privileged   why the container must be privileged, or null
 */
public record PodSecurity(SortedMap<String, String> capabilities, String hostPid, String hostNetwork, String cgroups,
                          String privileged) {

    private static final Set<ProgramType> NET_ADMIN_TYPES = EnumSet.of(ProgramType.SCHED_CLS, ProgramType.SCHED_ACT,
            ProgramType.XDP, ProgramType.LWT_IN, ProgramType.LWT_OUT, ProgramType.LWT_XMIT, ProgramType.LWT_SEG6LOCAL,
            ProgramType.SK_SKB, ProgramType.SK_MSG, ProgramType.FLOW_DISSECTOR, ProgramType.CGROUP_DEVICE,
            ProgramType.CGROUP_SOCK, ProgramType.CGROUP_SOCK_ADDR, ProgramType.CGROUP_SOCKOPT, ProgramType.CGROUP_SYSCTL,
            ProgramType.SOCK_OPS, ProgramType.EXT, ProgramType.NETFILTER);
    private static final Set<MapType> NET_ADMIN_MAPS = EnumSet.of(MapType.SOCKMAP, MapType.SOCKHASH, MapType.DEVMAP,
            MapType.DEVMAP_HASH, MapType.XSKMAP, MapType.CPUMAP);
    /** Attach kinds bee run attaches (others fail unless only pinned), see the runtime's Attachers. */
    private static final Set<AttachKind> ATTACHABLE = EnumSet.of(AttachKind.TRACEPOINT, AttachKind.RAW_TRACEPOINT,
            AttachKind.TP_BTF, AttachKind.FENTRY, AttachKind.FEXIT, AttachKind.FMOD_RET, AttachKind.LSM,
            AttachKind.KPROBE, AttachKind.KRETPROBE, AttachKind.KSYSCALL, AttachKind.KRETSYSCALL,
            AttachKind.KPROBE_MULTI, AttachKind.KRETPROBE_MULTI, AttachKind.UPROBE, AttachKind.URETPROBE,
            AttachKind.USDT, AttachKind.ITER, AttachKind.PERF_EVENT, AttachKind.XDP, AttachKind.TC, AttachKind.TCX,
            AttachKind.SOCKET_FILTER, AttachKind.CGROUP, AttachKind.SOCK_OPS);
    private static final Set<AttachKind> HOST_PROCESS_KINDS = EnumSet.of(AttachKind.UPROBE, AttachKind.URETPROBE,
            AttachKind.USDT);
    private static final Set<AttachKind> HOST_NETWORK_KINDS = EnumSet.of(AttachKind.XDP, AttachKind.TC,
            AttachKind.TCX, AttachKind.SOCKET_FILTER);
    private static final Set<AttachKind> CGROUP_KINDS = EnumSet.of(AttachKind.CGROUP, AttachKind.SOCK_OPS);

    public PodSecurity {
        capabilities = new TreeMap<>(capabilities);
    }

    /** The needs of a pod running {@code object} with {@code run}'s flags. */
    public static PodSecurity of(BpfObject object, RunArguments run) {
        Map<String, String> caps = new LinkedHashMap<>();
        caps.put("BPF", "load eBPF programs and create their maps");
        caps.put("PERFMON", "attach tracing programs and open perf events");
        caps.put("SYS_RESOURCE", "raise RLIMIT_MEMLOCK, which BPF memory counts against before Linux 5.11");
        List<ProgramSpec> programs = object.programs();

        List<String> netAdmin = new ArrayList<>();
        String netTypes = names(programs, p -> NET_ADMIN_TYPES.contains(p.type()));
        if (netTypes != null) {
            netAdmin.add("load network program types (" + netTypes + ")");
        }
        String cgroupAttach = names(programs, p -> CGROUP_KINDS.contains(p.attachKind())
                || p.attachKind() == AttachKind.SK_LOOKUP);
        if (cgroupAttach != null) {
            netAdmin.add("attach to cgroups or network namespaces (" + cgroupAttach + ")");
        }
        List<String> netMaps = object.maps().stream().filter(m -> NET_ADMIN_MAPS.contains(m.type()))
                .map(m -> m.name() + ": " + BpfmanLabels.mapType(m.type())).toList();
        if (!netMaps.isEmpty()) {
            netAdmin.add("create socket, device, xsk or cpu maps (" + String.join(", ", netMaps) + ")");
        }
        if (!netAdmin.isEmpty()) {
            caps.put("NET_ADMIN", String.join("; ", netAdmin));
        }
        String sockets = names(programs, p -> p.attachKind() == AttachKind.SOCKET_FILTER);
        if (sockets != null) {
            caps.put("NET_RAW", "open the packet socket a socket filter is attached to (" + sockets + ")");
        }
        List<String> sysAdmin = new ArrayList<>();
        String multi = names(programs, p -> p.attachKind() == AttachKind.KPROBE_MULTI
                || p.attachKind() == AttachKind.KRETPROBE_MULTI
                || "BPF_TRACE_UPROBE_MULTI".equals(p.expectedAttachType()));
        if (multi != null) {
            sysAdmin.add("kprobe.multi and uprobe.multi links need it (" + multi + ")");
        }
        String lsm = names(programs, p -> p.type() == ProgramType.LSM);
        if (lsm != null) {
            sysAdmin.add("BPF LSM programs (" + lsm + ")");
        }
        if (!sysAdmin.isEmpty()) {
            caps.put("SYS_ADMIN", String.join("; ", sysAdmin));
        }

        // Never less than what bee run itself checks for before it loads (the kernel's rules as the runtime
        // knows them), on a kernel with CAP_BPF and as uid 0, as the pod runs.
        for (CapabilityCheck.Need n : CapabilityCheck.needs(programs, object.maps().stream().map(MapSpec::type).toList(),
                true, new CapabilityCheck.Machine(true, true))) {
            caps.putIfAbsent(n.capability().name(), String.join("; ", n.reasons()));
        }

        String unknown = names(programs, p -> !ATTACHABLE.contains(p.attachKind()));
        String privileged = unknown == null ? null
                : "bee does not know which capabilities these programs need, so the container is privileged ("
                + unknown + ")";

        List<String> pid = new ArrayList<>();
        String probes = names(programs, p -> HOST_PROCESS_KINDS.contains(p.attachKind()));
        if (probes != null) {
            pid.add("uprobes attach to the node's processes and binaries (" + probes + ")");
        }
        if (run.pid()) {
            pid.add("--pid names a process of the node");
        }
        List<String> net = new ArrayList<>();
        String hooks = names(programs, p -> HOST_NETWORK_KINDS.contains(p.attachKind()));
        if (hooks != null) {
            net.add("network programs attach to the node's interfaces (" + hooks + ")");
        }
        if (run.iface()) {
            net.add("--iface names an interface of the node");
        }
        List<String> cg = new ArrayList<>();
        String cgroupPrograms = names(programs, p -> CGROUP_KINDS.contains(p.attachKind()));
        if (cgroupPrograms != null) {
            cg.add("cgroup programs attach to the node's cgroups (" + cgroupPrograms + ")");
        }
        if (run.cgroup()) {
            cg.add("--cgroup names a cgroup folder of the node");
        }
        return new PodSecurity(new TreeMap<>(caps), join(pid), join(net), join(cg), privileged);
    }

    public boolean needsHostPid() {
        return hostPid != null;
    }

    public boolean needsHostNetwork() {
        return hostNetwork != null;
    }

    public boolean needsCgroups() {
        return cgroups != null;
    }

    public boolean isPrivileged() {
        return privileged != null;
    }

    /** "name: kind, ..." of the programs matching {@code which}, or null when none does. */
    private static String names(List<ProgramSpec> programs, Predicate<ProgramSpec> which) {
        List<String> out = programs.stream().filter(which)
                .map(p -> p.name() + ": " + p.attachKind().name().toLowerCase(Locale.ROOT)).toList();
        return out.isEmpty() ? null : String.join(", ", out);
    }

    private static String join(List<String> reasons) {
        return reasons.isEmpty() ? null : String.join("; ", reasons);
    }
}
