package dev.bee.core.watch;

import dev.bee.core.decode.EventDecoder;

/**
 * Reads every shown ring buffer on the watcher's thread: each event decoded once by its map's declared
 * value type and emitted; events whose bytes do not match the type are counted as malformed (and
 * reported once), never silently dropped. By default ({@link Watcher} chooses) the rings are mapped into memory and read in
 * place ({@link MappedRingReader}); libbpf's reader ({@link LibbpfRingReader}, one upcall and one copy
 * per event) is the fallback when mapping fails, or on request with {@code -Dbee.ringbuf.reader=libbpf}.
 */
interface RingBufferReader extends AutoCloseable {
    String READER_PROPERTY = "bee.ringbuf.reader";

    record Target(String map, EventDecoder decoder, MapStats stats) {
    }

    /** Waits up to {@code timeoutMs} for events and reads what arrived; returns the events read. */
    int poll(int timeoutMs);

    /** Reads what is there without waiting (the mapped reader: for at most 50 ms; call again while it reads any). */
    int drain();

    @Override
    void close();
}
