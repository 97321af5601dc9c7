package dev.bee.core.libbpf;

/**
 * The first page of a perf event's ring ({@code struct perf_event_mmap_page}, uapi linux/perf_event.h):
 * the kernel's write position, the reader's, and where the data pages start and how long they are.
 */
final class PerfEventMmapPage {
    static final int DATA_HEAD = 1024;
    static final int DATA_TAIL = 1032;
    static final int DATA_OFFSET = 1040;
    static final int DATA_SIZE = 1048;
    static final StructLayout LAYOUT = StructLayout.of("linux/perf_event.h", "perf_event_mmap_page", 1088,
            "data_head", DATA_HEAD, "data_tail", DATA_TAIL, "data_offset", DATA_OFFSET, "data_size", DATA_SIZE);

    private PerfEventMmapPage() {
    }
}
