package dev.bee.core.libbpf;

import com.kenai.jffi.MemoryIO;
import dev.bee.core.ErrorKind;
import jnr.ffi.Pointer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A ring buffer map's memory, mapped into the process the way libbpf maps it: the consumer page
 * read-write (the reader publishes its position there), then the producer page and the data area
 * read-only, the data area twice in a row (the kernel maps its pages twice), so a record that wraps
 * around the end of the ring reads as one contiguous run of bytes. Both views are direct ByteBuffers in
 * native byte order over that memory; they must not be used after {@link #close()}, which the owner
 * calls only once nobody reads any more.
 */
public final class RingBufferMapping implements AutoCloseable {
    private static final int PROT_READ = 1;
    private static final int PROT_WRITE = 2;
    private static final int MAP_SHARED = 1;

    private final Native n;
    private final String name;
    private final int fd;
    private final int pageSize;
    private final int size;
    private Pointer consumerAddress;
    private Pointer producerAddress;
    private final ByteBuffer consumer;
    private final ByteBuffer producer;

    private RingBufferMapping(Native n, String name, int fd, int pageSize, int size, Pointer consumerAddress,
                              Pointer producerAddress) {
        this.n = n;
        this.name = name;
        this.fd = fd;
        this.pageSize = pageSize;
        this.size = size;
        this.consumerAddress = consumerAddress;
        this.producerAddress = producerAddress;
        MemoryIO io = MemoryIO.getInstance();
        this.consumer = io.newDirectByteBuffer(consumerAddress.address(), pageSize).order(ByteOrder.nativeOrder());
        this.producer = io.newDirectByteBuffer(producerAddress.address(), pageSize + 2 * size).order(ByteOrder.nativeOrder());
    }

    /** Maps a loaded ring buffer map; fails with a {@link LibbpfException} when the kernel refuses. */
    public static RingBufferMapping map(MapHandle map) {
        Native n = Native.get();
        int fd = map.fd();
        int size = map.maxEntries();
        int page = n.libc.getpagesize();
        // The double-mapped data area must fit one ByteBuffer (2 GiB).
        if (size <= 0 || (long) page + 2L * size > Integer.MAX_VALUE) {
            throw n.failure("mmap", Errno.E2BIG, ErrorKind.KERNEL, "cannot map ring buffer " + map.name()
                    + " of " + size + " bytes", null);
        }
        Pointer consumer = n.libc.mmap(null, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        if (failed(consumer)) {
            throw n.failure("mmap", n.errno(), ErrorKind.KERNEL, "cannot map ring buffer " + map.name(), null);
        }
        Pointer producer = n.libc.mmap(null, page + 2L * size, PROT_READ, MAP_SHARED, fd, page);
        if (failed(producer)) {
            int e = n.errno();
            n.libc.munmap(consumer, page);
            throw n.failure("mmap", e, ErrorKind.KERNEL, "cannot map ring buffer " + map.name(), null);
        }
        return new RingBufferMapping(n, map.name(), fd, page, size, consumer, producer);
    }

    private static boolean failed(Pointer p) {
        return p == null || p.address() == -1L || p.address() == 0;
    }

    public String name() {
        return name;
    }

    /** The map's fd: it polls readable when the ring holds data. */
    public int fd() {
        return fd;
    }

    /** Bytes of data the ring holds (a power of two). */
    public int size() {
        return size;
    }

    /** The consumer page: the consumer position (u64) at 0, written by the reader. */
    public ByteBuffer consumer() {
        return consumer;
    }

    /** The producer page, the producer position (u64) at 0, then the data, twice, at {@link #dataOffset()}. */
    public ByteBuffer producer() {
        return producer;
    }

    public int dataOffset() {
        return pageSize;
    }

    @Override
    public synchronized void close() {
        if (producerAddress != null) {
            n.libc.munmap(producerAddress, pageSize + 2L * size);
            producerAddress = null;
        }
        if (consumerAddress != null) {
            n.libc.munmap(consumerAddress, pageSize);
            consumerAddress = null;
        }
    }
}
