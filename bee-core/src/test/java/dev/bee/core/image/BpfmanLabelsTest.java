package dev.bee.core.image;

import dev.bee.core.image.container.TestObjects;

import dev.bee.core.object.BpfObject;
import dev.bee.core.object.MapSpec;
import dev.bee.core.object.MapType;
import dev.bee.core.object.OutputKind;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BpfmanLabelsTest {
    static MapSpec map(String name, MapType type) {
        return new MapSpec(name, ".maps", type, 4, 8, 16, 0, false, OutputKind.of(name, ".maps"), null, null, 0, 0);
    }

    @Test
    void programsAndMapsAreJsonObjectsInBpfmansSpelling() {
        BpfObject o = TestObjects.object(List.of("tracepoint/syscalls/sys_enter_openat", "kprobe/do_unlinkat",
                        "kretprobe/do_unlinkat", "uprobe//usr/lib/libc.so.6:getpid", "uretprobe/libc.so.6:malloc",
                        "xdp", "tc/ingress", "tcx/egress", "fentry/do_unlinkat", "fexit/do_unlinkat",
                        "raw_tp/sched_switch", "socket", "perf_event", "usdt/libc.so.6:libc:setjmp"),
                List.of(map("print_events", MapType.RINGBUF), map("counter_x", MapType.PERCPU_HASH),
                        map("a", MapType.LRU_PERCPU_HASH), map("b", MapType.PERCPU_ARRAY),
                        map("c", MapType.PERF_EVENT_ARRAY), map("d", MapType.ARRAY), map("e", null)));
        assertEquals("{\"prog0\":\"tracepoint\",\"prog1\":\"kprobe\",\"prog10\":\"raw_tracepoint\","
                + "\"prog11\":\"socket_filter\",\"prog12\":\"perf_event\",\"prog13\":\"uprobe\",\"prog2\":\"kretprobe\","
                + "\"prog3\":\"uprobe\",\"prog4\":\"uretprobe\",\"prog5\":\"xdp\",\"prog6\":\"tc\",\"prog7\":\"tcx\","
                + "\"prog8\":\"fentry\",\"prog9\":\"fexit\"}", BpfmanLabels.programsJson(o));
        assertEquals("{\"a\":\"lru_per_cpu_hash\",\"b\":\"per_cpu_array\",\"c\":\"perf_event_array\",\"counter_x\":"
                + "\"per_cpu_hash\",\"d\":\"array\",\"e\":\"unspec\",\"print_events\":\"ringbuf\"}", BpfmanLabels.mapsJson(o));
    }

    @Test
    void bothLabelsAndNothingElse() {
        BpfObject o = TestObjects.object(List.of("tp/sched/sched_process_exec"), List.of(map("print_execs", MapType.RINGBUF)));
        assertEquals(Map.of("io.ebpf.programs", "{\"prog0\":\"tracepoint\"}", "io.ebpf.maps", "{\"print_execs\":\"ringbuf\"}"),
                BpfmanLabels.of(o));
    }
}
