package dev.bee.core.image.container;

import dev.bee.core.image.BpfmanLabels;
import dev.bee.core.object.BpfObject;

import java.util.Map;
import java.util.TreeMap;

/**
 * The labels of a packaged container image: bpfman's {@code io.ebpf.programs} and {@code io.ebpf.maps}
 * ({@link BpfmanLabels}), and which eBPF image the container runs ({@code dev.bee.ebpf.image},
 * {@code dev.bee.ebpf.digest}). Keys are sorted, so the same object gives the same label text.
 */
public final class ImageLabels {
    public static final String EBPF_IMAGE = "dev.bee.ebpf.image";
    public static final String EBPF_DIGEST = "dev.bee.ebpf.digest";

    private ImageLabels() {
    }

    /** The labels for running {@code object}, stored as image {@code name} with manifest digest {@code digest}. */
    public static Map<String, String> of(BpfObject object, String name, String digest) {
        Map<String, String> labels = new TreeMap<>(BpfmanLabels.of(object));
        labels.put(EBPF_IMAGE, name);
        labels.put(EBPF_DIGEST, digest);
        return labels;
    }
}
