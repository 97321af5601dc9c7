package dev.bee.core.libbpf;

/** libbpf's {@code struct bpf_object_open_opts}: the object's name and the buffer for the kernel's log. */
final class ObjectOpenOpts {
    static final int SIZE = 80;
    static final int SZ = 0;
    static final int OBJECT_NAME = 8;
    static final int KERNEL_LOG_BUF = 56;
    static final int KERNEL_LOG_SIZE = 64;
    static final int KERNEL_LOG_LEVEL = 72;
    static final StructLayout LAYOUT = StructLayout.of("bpf/libbpf.h", "bpf_object_open_opts", SIZE, "sz", SZ,
            "object_name", OBJECT_NAME, "kernel_log_buf", KERNEL_LOG_BUF, "kernel_log_size", KERNEL_LOG_SIZE,
            "kernel_log_level", KERNEL_LOG_LEVEL);

    private ObjectOpenOpts() {
    }
}
