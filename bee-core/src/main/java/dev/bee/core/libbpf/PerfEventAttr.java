package dev.bee.core.libbpf;

/**
 * The kernel's {@code struct perf_event_attr} (uapi linux/perf_event.h), declared at its version 7 size
 * (the kernel accepts any published size). The flag bits ({@code disabled}, {@code inherit}... {@code freq}
 * at bit 10) share one 64-bit word after {@code read_format}.
 */
final class PerfEventAttr {
    static final int SIZE = 128;
    static final int TYPE = 0;
    static final int SIZE_FIELD = 4;
    static final int CONFIG = 8;
    static final int SAMPLE_FREQ = 16;
    /** The same word as {@link #SAMPLE_FREQ}: a union. */
    static final int SAMPLE_PERIOD = 16;
    static final int SAMPLE_TYPE = 24;
    static final int FLAGS = 40;
    static final int WAKEUP_EVENTS = 48;
    static final long FLAG_FREQ = 1L << 10;
    static final StructLayout LAYOUT = StructLayout.of("linux/perf_event.h", "perf_event_attr", SIZE, "type", TYPE,
                    "size", SIZE_FIELD, "config", CONFIG, "sample_freq", SAMPLE_FREQ,
                    "sample_period", SAMPLE_PERIOD, "sample_type", SAMPLE_TYPE, "wakeup_events", WAKEUP_EVENTS)
            .sizedBy("PERF_ATTR_SIZE_VER7", SIZE)
            .with("offsetof(struct perf_event_attr, read_format) + sizeof(__u64)", FLAGS);

    private PerfEventAttr() {
    }
}
