package dev.bee.core.kernel;

import dev.bee.core.object.MapType;
import dev.bee.core.object.ProgramSection;
import dev.bee.core.object.ProgramSpec;
import dev.bee.core.object.SectionNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The capabilities loading and attaching need, by the kernel's rules, and the error that names the missing ones. */
class CapabilityCheckTest {
    private static final CapabilityCheck.Machine MODERN_ROOT_ONLY_TRACEFS = new CapabilityCheck.Machine(true, false);
    private static final CapabilityCheck.Machine MODERN_OPEN_TRACEFS = new CapabilityCheck.Machine(true, true);

    private static ProgramSpec program(String section) {
        ProgramSection s = SectionNames.parse(section);
        return new ProgramSpec("p", section, s.type(), s.attachKind(), s.target(), s.expectedAttachType(),
                s.sleepable(), 10);
    }

    private static Set<Capability> caps(String list) {
        return list.isEmpty() ? Set.of() : Set.copyOf(Arrays.stream(list.split(",")).map(Capability::valueOf).toList());
    }

    private static ProcessCapabilities having(String list) {
        long mask = 0;
        for (Capability c : caps(list)) {
            mask |= 1L << c.bit();
        }
        return new ProcessCapabilities(mask, -1L);
    }

    private static Set<Capability> needed(List<CapabilityCheck.Need> needs) {
        return Set.copyOf(needs.stream().map(CapabilityCheck.Need::capability).toList());
    }

    @ParameterizedTest(name = "{0}, attach={1}")
    @CsvSource(delimiter = '|', value = {
            "tracepoint/sched/sched_process_exec|false|BPF,PERFMON",
            "tracepoint/sched/sched_process_exec|true|BPF,PERFMON,DAC_READ_SEARCH",
            "kprobe/tcp_v4_connect|true|BPF,PERFMON",
            "uprobe/libc.so.6:getpid|true|BPF,PERFMON",
            "raw_tp/sched_switch|true|BPF,PERFMON",
            "fentry/do_unlinkat|true|BPF,PERFMON",
            "lsm/file_open|true|BPF,PERFMON",
            "perf_event|true|BPF,PERFMON",
            "xdp|false|BPF,NET_ADMIN",
            "xdp|true|BPF,NET_ADMIN",
            "tc/ingress|true|BPF,NET_ADMIN",
            "socket|false|BPF",
            "socket|true|BPF,NET_RAW",
            "cgroup_skb/ingress|false|BPF",
            "cgroup_skb/ingress|true|BPF,NET_ADMIN",
            "cgroup/connect4|true|BPF,NET_ADMIN",
            "sockops|false|BPF,NET_ADMIN",
            "freplace/handler|false|BPF,PERFMON,NET_ADMIN"})
    void needsFollowTheKernelsRules(String section, boolean attach, String expected) {
        List<CapabilityCheck.Need> needs = CapabilityCheck.needs(List.of(program(section)), List.of(), attach,
                MODERN_ROOT_ONLY_TRACEFS);
        assertEquals(caps(expected), needed(needs));
        assertEquals(Capability.BPF, needs.get(0).capability(), "CAP_BPF comes first");
    }

    @Test
    void tracepointsNeedNoDacCapabilityWhereTracefsIsOpen() {
        List<CapabilityCheck.Need> needs = CapabilityCheck.needs(List.of(program("tp/sched/sched_process_exit")),
                List.of(), true, MODERN_OPEN_TRACEFS);
        assertEquals(caps("BPF,PERFMON"), needed(needs));
    }

    @Test
    void networkMapsNeedNetAdmin() {
        List<CapabilityCheck.Need> needs = CapabilityCheck.needs(List.of(program("socket")),
                List.of(MapType.HASH, MapType.SOCKMAP), false, MODERN_OPEN_TRACEFS);
        assertEquals(caps("BPF,NET_ADMIN"), needed(needs));
    }

    @Test
    void sysAdminStandsInForBpfPerfmonAndTheBpfNetAdminChecks() {
        List<CapabilityCheck.Need> needs = CapabilityCheck.needs(List.of(program("tracepoint/a/b"), program("xdp")),
                List.of(), false, MODERN_OPEN_TRACEFS);
        assertEquals(List.of(), CapabilityCheck.missing(needs, having("SYS_ADMIN")));
        assertEquals(List.of(), CapabilityCheck.missing(needs, new ProcessCapabilities(-1L, -1L)));
    }

    @Test
    void tcThroughNetlinkWantsNetAdminItselfSoSysAdminDoesNotDo() {
        List<CapabilityCheck.Need> needs = CapabilityCheck.needs(List.of(program("tc")), List.of(), true,
                MODERN_OPEN_TRACEFS);
        List<CapabilityCheck.Need> missing = CapabilityCheck.missing(needs, having("SYS_ADMIN"));
        assertEquals(caps("NET_ADMIN"), needed(missing));
        assertEquals(List.of("tc programs", "attach tc programs through netlink"), missing.get(0).reasons());
    }

    @Test
    void dacOverrideReadsTracefsToo() {
        List<CapabilityCheck.Need> needs = CapabilityCheck.needs(List.of(program("tracepoint/a/b")), List.of(), true,
                MODERN_ROOT_ONLY_TRACEFS);
        assertEquals(List.of(), CapabilityCheck.missing(needs, having("BPF,PERFMON,DAC_OVERRIDE")));
        assertEquals(caps("DAC_READ_SEARCH"), needed(CapabilityCheck.missing(needs, having("BPF,PERFMON"))));
    }

    @Test
    void kernelsBefore58WantSysAdminForWhatCapBpfAndCapPerfmonDoNow() {
        List<CapabilityCheck.Need> needs = CapabilityCheck.needs(List.of(program("tracepoint/a/b")), List.of(), false,
                new CapabilityCheck.Machine(false, true));
        assertEquals(caps("SYS_ADMIN"), needed(needs));
        assertFalse(CapabilityCheck.missing(needs, having("BPF,PERFMON")).isEmpty());
        assertTrue(CapabilityCheck.missing(needs, having("SYS_ADMIN")).isEmpty());
    }

    @Test
    void oneNeedPerCapabilityWithEveryReason() {
        List<CapabilityCheck.Need> needs = CapabilityCheck.needs(
                List.of(program("tracepoint/a/b"), program("tracepoint/c/d"), program("kprobe/f")), List.of(), false,
                MODERN_OPEN_TRACEFS);
        assertEquals(2, needs.size());
        assertEquals(List.of("tracepoint programs", "kprobe programs"), needs.get(1).reasons());
    }

    @Test
    void errorNamesExactlyTheMissingCapabilitiesAndHowToGrantThem() {
        List<CapabilityCheck.Need> needs = CapabilityCheck.needs(List.of(program("tracepoint/a/b")), List.of(), true,
                MODERN_ROOT_ONLY_TRACEFS);
        List<CapabilityCheck.Need> missing = CapabilityCheck.missing(needs, having("BPF"));
        assertEquals("bee run needs capabilities this process lacks: CAP_PERFMON (tracepoint programs) and"
                + " CAP_DAC_READ_SEARCH (read tracepoint ids in /sys/kernel/tracing, which only root may read)",
                CapabilityCheck.message("bee run", missing));
        String hint = CapabilityCheck.hint("bee run", missing, having("BPF"));
        assertTrue(hint.contains("--inh-caps=+perfmon,+dac_read_search --ambient-caps=+perfmon,+dac_read_search bee run"),
                hint);
        assertTrue(hint.contains("docs/capabilities.md"), hint);
        assertFalse(hint.contains("bounding set"), hint);
    }

    @Test
    void hintSaysWhenACapabilityIsOutsideTheBoundingSet() {
        List<CapabilityCheck.Need> missing = CapabilityCheck.missing(
                CapabilityCheck.needs(List.of(program("xdp")), List.of(), false, MODERN_OPEN_TRACEFS),
                new ProcessCapabilities(0, 1L << Capability.BPF.bit()));
        String hint = CapabilityCheck.hint("bee verify", missing, new ProcessCapabilities(0, 1L << Capability.BPF.bit()));
        assertTrue(hint.contains("CAP_NET_ADMIN is outside this process's bounding set"), hint);
        assertEquals("bee verify needs capabilities this process lacks: CAP_BPF (load programs and create maps)"
                + " and CAP_NET_ADMIN (xdp programs)", CapabilityCheck.message("bee verify", missing));
    }
}
