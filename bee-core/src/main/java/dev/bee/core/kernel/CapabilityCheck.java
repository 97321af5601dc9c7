package dev.bee.core.kernel;

import dev.bee.core.object.AttachKind;
import dev.bee.core.object.MapType;
import dev.bee.core.object.ProgramSpec;
import dev.bee.core.object.ProgramType;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which capabilities loading (and attaching) an object takes, by the kernel's rules, and the error
 * that names the missing ones. The rules follow kernel/bpf/syscall.c (bpf_prog_load, map_create,
 * bpf_prog_attach_check_attach_type), where CAP_SYS_ADMIN still stands in for CAP_BPF, CAP_PERFMON and
 * the BPF checks of CAP_NET_ADMIN; plus what bee's attach paths do besides bpf(2): tc filters go
 * through netlink (CAP_NET_ADMIN, with no stand-in), socket filters need a packet socket (CAP_NET_RAW),
 * and libbpf reads tracepoint ids from tracefs, which is root's alone unless mounted otherwise.
 * Pure logic: the caller reads the process and the machine.
 */
public final class CapabilityCheck {
    /** Program types whose load needs CAP_PERFMON (is_perfmon_prog_type). */
    private static final Set<ProgramType> PERFMON_TYPES = EnumSet.of(ProgramType.KPROBE, ProgramType.TRACEPOINT,
            ProgramType.PERF_EVENT, ProgramType.RAW_TRACEPOINT, ProgramType.RAW_TRACEPOINT_WRITABLE,
            ProgramType.TRACING, ProgramType.LSM, ProgramType.STRUCT_OPS, ProgramType.EXT);
    /** Program types whose load needs CAP_NET_ADMIN (is_net_admin_prog_type). */
    private static final Set<ProgramType> NET_ADMIN_TYPES = EnumSet.of(ProgramType.SCHED_CLS, ProgramType.SCHED_ACT,
            ProgramType.XDP, ProgramType.LWT_IN, ProgramType.LWT_OUT, ProgramType.LWT_XMIT,
            ProgramType.LWT_SEG6LOCAL, ProgramType.SK_SKB, ProgramType.SK_MSG, ProgramType.LIRC_MODE2,
            ProgramType.FLOW_DISSECTOR, ProgramType.CGROUP_DEVICE, ProgramType.CGROUP_SOCK,
            ProgramType.CGROUP_SOCK_ADDR, ProgramType.CGROUP_SOCKOPT, ProgramType.CGROUP_SYSCTL,
            ProgramType.SOCK_OPS, ProgramType.EXT, ProgramType.NETFILTER);
    /** Map types whose creation needs CAP_NET_ADMIN (map_create). */
    private static final Set<MapType> NET_ADMIN_MAPS = EnumSet.of(MapType.SOCKMAP, MapType.SOCKHASH, MapType.DEVMAP,
            MapType.DEVMAP_HASH, MapType.XSKMAP);
    private static final Set<Capability> OR_SYS_ADMIN = EnumSet.of(Capability.SYS_ADMIN);

    /**
     * One capability bee needs, the ones the kernel accepts instead (CAP_SYS_ADMIN for CAP_BPF, say),
     * and what it is needed for.
     */
    public record Need(Capability capability, Set<Capability> alternatives, List<String> reasons) {
        public boolean satisfiedBy(ProcessCapabilities caps) {
            return caps.has(capability) || alternatives.stream().anyMatch(caps::has);
        }

        @Override
        public String toString() {
            return capability.capName() + " (" + String.join(", ", reasons) + ")";
        }
    }

    /**
     * What the check needs to know of the machine: whether the kernel has CAP_BPF and CAP_PERFMON (5.8+),
     * and whether the user can read tracefs without capabilities (root, or tracefs mounted open).
     */
    public record Machine(boolean kernelHasBpfCapabilities, boolean tracefsReadable) {
    }

    private CapabilityCheck() {
    }

    /**
     * What loading the programs and maps needs and, with {@code attach}, attaching them the way bee run
     * does; one {@link Need} per capability, CAP_BPF (or what stands for it) first.
     */
    public static List<Need> needs(Collection<ProgramSpec> programs, Collection<MapType> maps, boolean attach,
                                   Machine machine) {
        Needs out = new Needs(machine.kernelHasBpfCapabilities());
        out.add(Capability.BPF, OR_SYS_ADMIN, "load programs and create maps");
        for (ProgramSpec p : programs) {
            String what = label(p.attachKind()) + " programs";
            if (PERFMON_TYPES.contains(p.type())) {
                out.add(Capability.PERFMON, OR_SYS_ADMIN, what);
            }
            if (NET_ADMIN_TYPES.contains(p.type())) {
                out.add(Capability.NET_ADMIN, OR_SYS_ADMIN, what);
            }
            if (attach) {
                attachNeeds(p, machine, out);
            }
        }
        for (MapType m : maps) {
            if (NET_ADMIN_MAPS.contains(m)) {
                out.add(Capability.NET_ADMIN, OR_SYS_ADMIN, label(m) + " maps");
            }
        }
        return out.list();
    }

    private static void attachNeeds(ProgramSpec p, Machine machine, Needs out) {
        switch (p.attachKind()) {
            case TC, TCX -> out.add(Capability.NET_ADMIN, Set.of(), "attach tc programs through netlink");
            case SOCKET_FILTER -> out.add(Capability.NET_RAW, Set.of(), "open the packet socket of socket programs");
            case CGROUP -> {
                if (p.type() == ProgramType.CGROUP_SKB) {
                    out.add(Capability.NET_ADMIN, OR_SYS_ADMIN, "attach cgroup_skb programs");
                }
            }
            case TRACEPOINT -> {
                if (!machine.tracefsReadable()) {
                    out.add(Capability.DAC_READ_SEARCH, EnumSet.of(Capability.DAC_OVERRIDE),
                            "read tracepoint ids in " + KernelEnvironment.TRACEFS + ", which only root may read");
                }
            }
            default -> {
            }
        }
    }

    /** The needs {@code caps} does not meet. */
    public static List<Need> missing(List<Need> needs, ProcessCapabilities caps) {
        return needs.stream().filter(n -> !n.satisfiedBy(caps)).toList();
    }

    /** One line: which capabilities {@code command} lacks and what for. */
    public static String message(String command, List<Need> missing) {
        List<String> parts = missing.stream().map(Need::toString).toList();
        return command + " needs " + (missing.size() == 1 ? "a capability" : "capabilities") + " this process lacks: "
                + joinAnd(parts);
    }

    /**
     * How to grant them: root, or ambient capabilities given by setpriv, which work through bee's launcher
     * script where file capabilities cannot; and a warning for those outside the bounding set, which no one
     * inside this process tree can grant.
     */
    public static String hint(String command, List<Need> missing, ProcessCapabilities caps) {
        String list = missing.stream().map(n -> "+" + n.capability().shortName()).collect(Collectors.joining(","));
        StringBuilder sb = new StringBuilder("run as root, or start bee with them as ambient capabilities: sudo setpriv"
                + " --reuid=$(id -u) --regid=$(id -g) --init-groups --inh-caps=" + list + " --ambient-caps=" + list
                + " " + command + " ...; systemd and other ways: docs/capabilities.md");
        List<String> outside = missing.stream().map(Need::capability).filter(c -> !caps.canGain(c))
                .map(Capability::capName).toList();
        if (!outside.isEmpty()) {
            sb.append(". ").append(joinAnd(outside)).append(outside.size() == 1 ? " is" : " are")
                    .append(" outside this process's bounding set: grant ").append(outside.size() == 1 ? "it" : "them")
                    .append(" where the container or service is started (e.g. docker run --cap-add)");
        }
        return sb.toString();
    }

    private static String joinAnd(List<String> parts) {
        if (parts.size() <= 1) {
            return String.join("", parts);
        }
        return String.join(", ", parts.subList(0, parts.size() - 1)) + " and " + parts.get(parts.size() - 1);
    }

    private static String label(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    /** Needs merged per capability; before kernel 5.8, CAP_SYS_ADMIN does the work of CAP_BPF and CAP_PERFMON. */
    private static final class Needs {
        private final boolean bpfCapabilities;
        private final Map<Capability, Set<Capability>> alternatives = new LinkedHashMap<>();
        private final Map<Capability, Set<String>> reasons = new LinkedHashMap<>();

        Needs(boolean bpfCapabilities) {
            this.bpfCapabilities = bpfCapabilities;
        }

        void add(Capability c, Set<Capability> alt, String reason) {
            if (!bpfCapabilities && (c == Capability.BPF || c == Capability.PERFMON)) {
                c = Capability.SYS_ADMIN;
                alt = Set.of();
                reason = reason + " on a kernel without CAP_BPF and CAP_PERFMON";
            }
            Set<Capability> copy = alt.isEmpty() ? EnumSet.noneOf(Capability.class) : EnumSet.copyOf(alt);
            // Several checks of one capability: only a stand-in that every one of them accepts will do.
            alternatives.merge(c, copy, (a, b) -> {
                a.retainAll(b);
                return a;
            });
            reasons.computeIfAbsent(c, k -> new LinkedHashSet<>()).add(reason);
        }

        List<Need> list() {
            List<Need> out = new ArrayList<>();
            alternatives.forEach((c, alt) -> out.add(new Need(c, Set.copyOf(alt), List.copyOf(reasons.get(c)))));
            return out;
        }
    }
}
