package dev.bee.core.image.container;

import dev.bee.core.object.BpfObject;
import dev.bee.core.object.MapType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ImageLabelsTest {

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
