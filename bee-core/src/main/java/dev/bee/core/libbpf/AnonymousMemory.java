package dev.bee.core.libbpf;

import com.kenai.jffi.MemoryIO;
import dev.bee.core.ErrorKind;
import jnr.ffi.Pointer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Private anonymous memory from {@code mmap(2)}, as a direct ByteBuffer in native byte order: the kernel
 * gives it pages as they are first written, so a large queue costs resident memory only as far as it
 * has been filled (a JDK direct buffer is zeroed, hence resident, at once, and counts against the heap
 * limit). Must not be used after {@link #close()}, which its owner calls once nobody reads it any more.
 */
public final class AnonymousMemory implements AutoCloseable {
    private static final int PROT_READ = 1;
    private static final int PROT_WRITE = 2;
    private static final int MAP_PRIVATE = 2;
    private static final int MAP_ANONYMOUS = 0x20;

    private final Native n;
    private final long size;
    private Pointer address;
    private final ByteBuffer buffer;

    private AnonymousMemory(Native n, Pointer address, int size) {
        this.n = n;
        this.size = size;
        this.address = address;
        this.buffer = MemoryIO.getInstance().newDirectByteBuffer(address.address(), size).order(ByteOrder.nativeOrder());
    }

    /** {@code size} bytes (at most 2 GiB, one ByteBuffer); fails with a {@link LibbpfException}. */
    public static AnonymousMemory allocate(int size, String what) {
        Native n = Native.get();
        Pointer p = n.libc.mmap(null, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == null || p.address() == -1L || p.address() == 0) {
            throw n.failure("mmap", n.errno(), ErrorKind.KERNEL, "cannot allocate " + size + " bytes for " + what,
                    "give it less memory");
        }
        return new AnonymousMemory(n, p, size);
    }

    public ByteBuffer buffer() {
        return buffer;
    }

    @Override
    public synchronized void close() {
        if (address != null) {
            n.libc.munmap(address, size);
            address = null;
        }
    }
}
