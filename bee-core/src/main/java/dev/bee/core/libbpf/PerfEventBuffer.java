package dev.bee.core.libbpf;

import com.kenai.jffi.MemoryIO;
import dev.bee.core.ErrorKind;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One CPU's buffer of a perf event array, made the way libbpf's perf_buffer makes it: a
 * {@code PERF_COUNT_SW_BPF_OUTPUT} event on that CPU sampling raw data at every output, woken for every
 * sample, its ring mapped read-write (the reader writes its position in the first page), and its fd put
 * in the array's slot for the CPU, where {@code bpf_perf_event_output} finds it. {@link #close()} empties
 * the slot, unmaps and closes, once nobody reads any more.
 */
public final class PerfEventBuffer implements AutoCloseable {
    private static final int PERF_TYPE_SOFTWARE = 1;
    private static final int PERF_COUNT_SW_BPF_OUTPUT = 10;
    private static final long PERF_SAMPLE_RAW = 1L << 10;
    private static final long PERF_FLAG_FD_CLOEXEC = 8;
    private static final int PROT_READ = 1;
    private static final int PROT_WRITE = 2;
    private static final int MAP_SHARED = 1;
    private static final long BPF_ANY = 0;

    private final Native n;
    private final int mapFd;
    private final int cpu;
    private final long mappedSize;
    private int fd;
    private Pointer address;
    private final ByteBuffer meta;
    private final ByteBuffer data;

    private PerfEventBuffer(Native n, int mapFd, int cpu, int fd, Pointer address, long mappedSize, int page) {
        this.n = n;
        this.mapFd = mapFd;
        this.cpu = cpu;
        this.fd = fd;
        this.address = address;
        this.mappedSize = mappedSize;
        MemoryIO io = MemoryIO.getInstance();
        this.meta = io.newDirectByteBuffer(address.address(), page).order(ByteOrder.nativeOrder());
        long offset = meta.getLong(PerfEventMmapPage.DATA_OFFSET);
        long size = meta.getLong(PerfEventMmapPage.DATA_SIZE);
        if (offset == 0 || size == 0) { // kernels before 4.1 leave them 0: the data follows the first page
            offset = page;
            size = mappedSize - page;
        }
        this.data = io.newDirectByteBuffer(address.address() + offset, (int) size).order(ByteOrder.nativeOrder());
    }

    /**
     * The buffer of {@code pages} pages (a power of two) for {@code cpu} of the loaded perf event array
     * {@code map}; fails with a {@link LibbpfException}, leaving nothing open.
     */
    public static PerfEventBuffer open(MapHandle map, int cpu, int pages) {
        Native n = Native.get();
        int page = n.libc.getpagesize();
        Pointer attr = Memory.allocateDirect(n.runtime, PerfEventAttr.SIZE, true);
        attr.putInt(PerfEventAttr.TYPE, PERF_TYPE_SOFTWARE);
        attr.putInt(PerfEventAttr.SIZE_FIELD, PerfEventAttr.SIZE);
        attr.putLong(PerfEventAttr.CONFIG, PERF_COUNT_SW_BPF_OUTPUT);
        attr.putLong(PerfEventAttr.SAMPLE_PERIOD, 1);
        attr.putLong(PerfEventAttr.SAMPLE_TYPE, PERF_SAMPLE_RAW);
        attr.putInt(PerfEventAttr.WAKEUP_EVENTS, 1);
        long rc = n.libc.syscall(SyscallNumbers.host().perfEventOpen(), attr, -1, cpu, -1, PERF_FLAG_FD_CLOEXEC);
        if (rc < 0) {
            int e = n.errno();
            throw n.failure("perf_event_open", e, e == Errno.EACCES || e == Errno.EPERM ? ErrorKind.PERMISSION
                    : ErrorKind.KERNEL, "cannot open the buffer of perf event array " + map.name() + " on CPU " + cpu,
                    null);
        }
        int fd = (int) rc;
        long size = (long) page * (pages + 1);
        Pointer address = n.libc.mmap(null, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        if (address == null || address.address() == -1L || address.address() == 0) {
            int e = n.errno();
            n.libc.close(fd);
            throw n.failure("mmap", e, ErrorKind.KERNEL, "cannot map the buffer of perf event array " + map.name()
                    + " on CPU " + cpu, null);
        }
        Pointer key = Memory.allocateDirect(n.runtime, 4, true);
        key.putInt(0, cpu);
        Pointer value = Memory.allocateDirect(n.runtime, 4, true);
        value.putInt(0, fd);
        int update = n.buffers().bpf_map_update_elem(map.fd(), key, value, BPF_ANY);
        if (update < 0) {
            n.libc.munmap(address, size);
            n.libc.close(fd);
            throw n.failure("bpf_map_update_elem", update, ErrorKind.KERNEL, "cannot give perf event array "
                    + map.name() + " its buffer on CPU " + cpu, null);
        }
        return new PerfEventBuffer(n, map.fd(), cpu, fd, address, size, page);
    }

    public int cpu() {
        return cpu;
    }

    /** Readable when the buffer holds data (after the wake-up the kernel gives every sample). */
    public synchronized int fd() {
        return fd;
    }

    /** The first page: the kernel's position (u64) at {@code dataHeadOffset()}, the reader's after it. */
    public ByteBuffer meta() {
        return meta;
    }

    public static int dataHeadOffset() {
        return PerfEventMmapPage.DATA_HEAD;
    }

    public static int dataTailOffset() {
        return PerfEventMmapPage.DATA_TAIL;
    }

    /** The data pages, a power of two bytes; records wrap around their end. */
    public ByteBuffer data() {
        return data;
    }

    @Override
    public synchronized void close() {
        if (fd < 0) {
            return;
        }
        Pointer key = Memory.allocateDirect(n.runtime, 4, true);
        key.putInt(0, cpu);
        n.buffers().bpf_map_delete_elem(mapFd, key); // the map may be gone already; its slot with it
        n.libc.munmap(address, mappedSize);
        address = null;
        n.libc.close(fd);
        fd = -1;
    }
}
