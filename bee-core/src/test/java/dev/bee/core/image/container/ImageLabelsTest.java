package dev.bee.core.image.container;

import dev.bee.core.object.BpfObject;
import dev.bee.core.object.MapType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ImageLabelsTest {

    @Test
    void programsAndMapsAreJsonObjectsInBpfmansSpelling() {
        BpfObject o = TestObjects.object(List.of("tracepoint/syscalls/sys_enter_openat", "kprobe/do_unlinkat",
                        "kretprobe/do_unlinkat", "uprobe//usr/lib/libc.so.6:getpid", "uretprobe/libc.so.6:malloc",
                        "xdp", "tc/ingress", "tcx/egress", "fentry/do_unlinkat", "fexit/do_unlinkat",
                        "raw_tp/sched_switch", "socket", "perf_event", "usdt/libc.so.6:libc:setjmp"),
                List.of(TestObjects.map("print_events", MapType.RINGBUF), TestObjects.map("counter_x", MapType.PERCPU_HASH),
                        TestObjects.map("a", MapType.LRU_PERCPU_HASH), TestObjects.map("b", MapType.PERCPU_ARRAY),
                        TestObjects.map("c", MapType.PERF_EVENT_ARRAY), TestObjects.map("d", MapType.ARRAY),
                        TestObjects.map("e", null)));
        assertEquals("{\"prog0\":\"tracepoint\",\"prog1\":\"kprobe\",\"prog10\":\"raw_tracepoint\","
                + "\"prog11\":\"socket_filter\",\"prog12\":\"perf_event\",\"prog13\":\"uprobe\",\"prog2\":\"kretprobe\","
                + "\"prog3\":\"uprobe\",\"prog4\":\"uretprobe\",\"prog5\":\"xdp\",\"prog6\":\"tc\",\"prog7\":\"tcx\","
                + "\"prog8\":\"fentry\",\"prog9\":\"fexit\"}", ImageLabels.programsJson(o));
        assertEquals("{\"a\":\"lru_per_cpu_hash\",\"b\":\"per_cpu_array\",\"c\":\"perf_event_array\",\"counter_x\":"
                + "\"per_cpu_hash\",\"d\":\"array\",\"e\":\"unspec\",\"print_events\":\"ringbuf\"}", ImageLabels.mapsJson(o));
    }

    @Test
    void labelsNameTheEbpfImageAndItsDigest() {
        BpfObject o = TestObjects.object(List.of("tp/sched/sched_process_exec"),
                List.of(TestObjects.map("print_execs", MapType.RINGBUF)));
        Map<String, String> labels = ImageLabels.of(o, "localhost:5000/probes/execsnoop:v1", "sha256:" + "a".repeat(64));
        assertEquals(Map.of(
                "io.ebpf.programs", "{\"prog0\":\"tracepoint\"}",
                "io.ebpf.maps", "{\"print_execs\":\"ringbuf\"}",
                "dev.bee.ebpf.image", "localhost:5000/probes/execsnoop:v1",
                "dev.bee.ebpf.digest", "sha256:" + "a".repeat(64)), labels);
        assertEquals(List.of("dev.bee.ebpf.digest", "dev.bee.ebpf.image", "io.ebpf.maps", "io.ebpf.programs"),
                List.copyOf(labels.keySet()));
    }
}
