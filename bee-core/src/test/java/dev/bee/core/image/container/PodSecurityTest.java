package dev.bee.core.image.container;

import dev.bee.core.object.MapType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PodSecurityTest {
    private static final List<String> BASE = List.of("BPF", "PERFMON", "SYS_RESOURCE");

    private static PodSecurity of(String... sections) {
        return PodSecurity.of(TestObjects.object(sections), RunArguments.none());
    }

    private static List<String> caps(PodSecurity s) {
        return List.copyOf(s.capabilities().keySet());
    }

    @Test
    void tracingNeedsOnlyBpfPerfmonAndSysResource() {
        PodSecurity s = of("tracepoint/syscalls/sys_enter_openat", "tp/sched/sched_process_exec", "raw_tp/sched_switch",
                "tp_btf/sched_switch", "kprobe/do_unlinkat", "kretprobe/do_unlinkat", "fentry/x", "fexit/x",
                "perf_event", "iter/task");
        assertEquals(BASE, caps(s));
        assertFalse(s.needsHostPid() || s.needsHostNetwork() || s.needsCgroups() || s.isPrivileged());
        s.capabilities().values().forEach(why -> assertFalse(why.isBlank()));
    }

    @Test
    void networkProgramsNeedNetAdminAndTheHostNetwork() {
        for (String section : List.of("xdp", "tc/ingress", "tcx/egress", "classifier")) {
            PodSecurity s = of(section);
            assertEquals(List.of("BPF", "NET_ADMIN", "PERFMON", "SYS_RESOURCE"), caps(s), section);
            assertTrue(s.needsHostNetwork(), section);
            assertTrue(s.hostNetwork().contains("prog0"), s.hostNetwork());
            assertTrue(s.capabilities().get("NET_ADMIN").contains("prog0"));
            assertFalse(s.needsHostPid());
        }
    }

    @Test
    void socketFiltersNeedARawSocketAndTheHostNetwork() {
        PodSecurity s = of("socket");
        assertEquals(List.of("BPF", "NET_RAW", "PERFMON", "SYS_RESOURCE"), caps(s));
        assertTrue(s.needsHostNetwork());
    }

    @Test
    void uprobesNeedTheHostPidNamespace() {
        for (String section : List.of("uprobe/libc.so.6:getpid", "uretprobe/libc.so.6:malloc", "usdt/libc.so.6:libc:setjmp")) {
            PodSecurity s = of(section);
            assertEquals(BASE, caps(s), section);
            assertTrue(s.needsHostPid(), section);
            assertFalse(s.needsHostNetwork());
        }
    }

    @Test
    void runFlagsThatNameHostThingsAskForTheirNamespaces() {
        PodSecurity s = PodSecurity.of(TestObjects.object("tracepoint/syscalls/sys_enter_openat"),
                RunArguments.parse(List.of("--pid", "1", "--iface", "eth0", "--cgroup", "/sys/fs/cgroup/x")));
        assertTrue(s.hostPid().contains("--pid"));
        assertTrue(s.hostNetwork().contains("--iface"));
        assertTrue(s.cgroups().contains("--cgroup"));
        assertEquals(BASE, caps(s));
    }

    @Test
    void cgroupProgramsNeedNetAdminAndTheNodesCgroups() {
        for (String section : List.of("cgroup_skb/ingress", "cgroup/connect4", "sockops", "cgroup/sysctl")) {
            PodSecurity s = of(section);
            assertTrue(caps(s).contains("NET_ADMIN"), section);
            assertTrue(s.needsCgroups(), section);
            assertFalse(caps(s).contains("SYS_ADMIN"), section);
        }
    }

    @Test
    void sysAdminOnlyForMultiProbesAndLsm() {
        for (String section : List.of("kprobe.multi/do_*", "kretprobe.multi/do_*", "uprobe.multi/libc.so.6:*", "lsm/file_open")) {
            assertTrue(caps(of(section)).contains("SYS_ADMIN"), section);
        }
        assertFalse(caps(of("kprobe/x", "uprobe/libc.so.6:getpid", "xdp", "fentry/x")).contains("SYS_ADMIN"));
    }

    @Test
    void socketAndDeviceMapsNeedNetAdmin() {
        PodSecurity s = PodSecurity.of(TestObjects.object(List.of("tracepoint/syscalls/sys_enter_openat"),
                List.of(TestObjects.map("socks", MapType.SOCKHASH), TestObjects.map("devs", MapType.DEVMAP),
                        TestObjects.map("events", MapType.RINGBUF))), RunArguments.none());
        assertTrue(s.capabilities().get("NET_ADMIN").contains("socks: sockhash"));
        assertTrue(s.capabilities().get("NET_ADMIN").contains("devs: devmap"));
    }

    @Test
    void theDaemonSetGrantsWhatBeeRunChecksFor() {
        List<String> sections = List.of("tracepoint/a/b", "kprobe/x", "uprobe/libc.so.6:getpid", "xdp", "tc/ingress",
                "tcx/egress", "socket", "cgroup_skb/ingress", "cgroup/connect4", "sockops", "sk_msg", "sk_skb",
                "flow_dissector", "perf_event", "fentry/x", "lsm/file_open", "iter/task", "raw_tp/x", "lwt_in");
        for (String section : sections) {
            var object = TestObjects.object(List.of(section), List.of(TestObjects.map("m", MapType.XSKMAP)));
            PodSecurity s = PodSecurity.of(object, RunArguments.none());
            for (var need : dev.bee.core.kernel.CapabilityCheck.needs(object.programs(), List.of(MapType.XSKMAP), true,
                    new dev.bee.core.kernel.CapabilityCheck.Machine(true, true))) {
                assertTrue(s.isPrivileged() || s.capabilities().containsKey(need.capability().name()),
                        section + " needs " + need);
            }
        }
    }

    @Test
    void privilegedOnlyForProgramsBeeCannotAttachWithTheReason() {
        assertNull(of("xdp", "kprobe/x", "lsm/file_open", "socket", "sockops").privileged());
        PodSecurity s = of("struct_ops/tcp_cong", "tracepoint/a/b");
        assertTrue(s.isPrivileged());
        assertTrue(s.privileged().contains("prog0: struct_ops"), s.privileged());
        assertTrue(of("no_such_section").isPrivileged());
    }
}
