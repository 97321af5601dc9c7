package dev.bee.core.watch;

import dev.bee.core.btf.Btf;
import dev.bee.core.btf.BtfReader;
import dev.bee.core.decode.EventDecoder;
import dev.bee.core.object.OutputKind;
import dev.bee.core.sink.MapRecord;
import dev.bee.core.sink.RecordFilter;
import dev.bee.core.testing.BtfBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The mapped ring's walk over its records into the event queue, on plain buffers laid out as the kernel
 * maps a ring (consumer position; producer position; the data twice in a row): committed records are
 * read in order, discarded ones skipped, a busy one stops the walk, a wrapped one reads as one run, the
 * space is given back before anything is decoded, a full queue counts what it has no room for, and a
 * full ring is counted once per time it is found so.
 */
class MappedRingSourceTest {
    private static final int SIZE = 2048;
    private static final int DATA = 64;
    private static final int BUSY = 1 << 31;
    private static final int DISCARD = 1 << 30;
    /** An event is struct { u32 pid; u32 seq; }: 8 bytes, 16 with the header. */
    private static final int EVENT = 8;
    private static final int SLOT = 16;

    private final ByteBuffer consumer = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder());
    private final ByteBuffer data = ByteBuffer.allocateDirect(DATA + 2 * SIZE).order(ByteOrder.nativeOrder());
    private final MapStats stats = new MapStats("print_events", OutputKind.PRINT, "ring buffer", false);
    private final Records sink = new Records();
    private final Emitter emitter = new Emitter(sink, RecordFilter.none(), 0);
    private EventTarget target;
    private MappedRingSource ring;
    private EventQueue queue = new EventQueue(ByteBuffer.allocateDirect(1 << 16).order(ByteOrder.nativeOrder()));
    private EventTail tail;
    /** Where the next record is written (the producer's reserve position). */
    private long head;

    @BeforeEach
    void ring() {
        BtfBuilder b = new BtfBuilder();
        int u32 = b.integer("unsigned int", 4, 0);
        int event = b.struct("event", EVENT, false, new Object[]{"pid", u32, 0}, new Object[]{"seq", u32, 32});
        Btf btf = BtfReader.read("t", b.build());
        target = new EventTarget("print_events",
                new EventDecoder(btf, ByteOrder.nativeOrder(), event, "value", EVENT), stats);
        tail = new EventTail(List.of(target), emitter);
    }

    private void startAt(long position) {
        consumer.putLong(0, position);
        data.putLong(0, position);
        head = position;
        // The source reads the consumer position when it is made.
        ring = new MappedRingSource(null, consumer, data, DATA, SIZE, 0, target);
    }

    /** Reads the ring into the queue (with no deadline), then decodes the queue; returns the records read. */
    private int consume() {
        int n = ring.read(queue, System.nanoTime() + Long.MAX_VALUE / 2);
        queue.take(tail, Integer.MAX_VALUE);
        return n;
    }

    /** Writes one byte of the ring at logical position {@code p}, in both mapped copies of the data. */
    private void put(long p, byte v) {
        int at = (int) (p & (SIZE - 1));
        data.put(DATA + at, v);
        data.put(DATA + SIZE + at, v);
    }

    private void putInt(long p, int v) {
        ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(0, v);
        for (int i = 0; i < 4; i++) {
            put(p + i, b.get(i));
        }
    }

    /** Reserves and writes a record of {@code payload} bytes holding pid and seq; returns its position. */
    private long record(int pid, int seq, int payload, int flags) {
        long at = head;
        putInt(at, payload | flags);
        putInt(at + 4, 0);
        if (payload >= 4) {
            putInt(at + 8, pid);
        }
        if (payload >= 8) {
            putInt(at + 12, seq);
        }
        head += (payload + 8 + 7) & ~7;
        return at;
    }

    private long event(int seq) {
        return record(100, seq, EVENT, 0);
    }

    /** Makes everything reserved so far visible to the reader. */
    private void commit() {
        data.putLong(0, head);
    }

    private long consumerPosition() {
        return consumer.getLong(0);
    }

    private List<Long> seqs() {
        List<Long> out = new ArrayList<>();
        for (MapRecord r : sink.written) {
            out.add((Long) r.field("seq"));
        }
        return out;
    }

    @Test
    void committedRecordsAreReadInOrderAndTheirSpaceGivenBack() {
        startAt(0);
        event(1);
        event(2);
        event(3);
        commit();
        assertEquals(3, consume());
        assertEquals(List.of(1L, 2L, 3L), seqs());
        assertEquals(100L, sink.written.get(0).field("pid"));
        assertEquals(MapRecord.Kind.EVENT, sink.written.get(0).kind());
        assertEquals("print_events", sink.written.get(0).map());
        assertEquals(3 * SLOT, consumerPosition());
        assertEquals(3, stats.records());

        assertEquals(0, consume(), "nothing new");
        event(4);
        commit();
        assertEquals(1, consume());
        assertEquals(List.of(1L, 2L, 3L, 4L), seqs());
    }

    @Test
    void anOddLengthRecordTakesItsSpaceRoundedToEightBytes() {
        startAt(0);
        record(7, 0, 5, 0); // 5 bytes: too short for the event, still 16 bytes of ring
        event(2);
        commit();
        assertEquals(2, consume(), "both read; the short one is malformed");
        assertEquals(List.of(2L), seqs());
        assertEquals(1, stats.malformed());
        assertEquals(2 * SLOT, consumerPosition());
    }

    @Test
    void discardedRecordsAreSkipped() {
        startAt(0);
        event(1);
        record(100, 2, EVENT, DISCARD);
        event(3);
        commit();
        assertEquals(2, consume());
        assertEquals(List.of(1L, 3L), seqs());
        assertEquals(3 * SLOT, consumerPosition(), "a discarded record's space is given back too");
    }

    @Test
    void aBusyRecordStopsTheWalkUntilItIsCommitted() {
        startAt(0);
        event(1);
        long busy = record(100, 2, EVENT, BUSY);
        event(3);
        commit();
        assertEquals(1, consume());
        assertEquals(List.of(1L), seqs());
        assertEquals(busy, consumerPosition(), "stops before the busy record");

        putInt(busy, EVENT); // the kernel commits it: busy bit cleared
        assertEquals(2, consume());
        assertEquals(List.of(1L, 2L, 3L), seqs());
        assertEquals(3 * SLOT, consumerPosition());
    }

    @Test
    void aRecordThatWrapsAroundTheEndReadsAsOneRun() {
        startAt(SIZE - 8); // the header fits before the end, the event after it wraps
        event(41);
        event(42);
        commit();
        assertEquals(2, consume());
        assertEquals(List.of(41L, 42L), seqs());
        assertEquals(SIZE - 8 + 2 * SLOT, consumerPosition(), "positions grow; only offsets wrap");
    }

    @Test
    void aReadPastItsDeadlineStopsAtTheEndOfABatchAndGoesOnNextTime() {
        // A producer faster than the drain's budget must not keep one read going for ever.
        startAt(0);
        int n = MappedRingSource.BATCH + 6;
        for (int i = 0; i < n; i++) {
            event(i);
        }
        commit();
        assertEquals(MappedRingSource.BATCH, ring.read(queue, System.nanoTime()));
        assertTrue(ring.behind(), "it says it did not catch up");
        assertEquals((long) MappedRingSource.BATCH * SLOT, consumerPosition(), "what was read is given back");
        assertEquals(6, ring.read(queue, System.nanoTime()));
        assertFalse(ring.behind());
    }

    @Test
    void theRingsSpaceIsGivenBackBeforeAnythingIsDecoded() {
        // The point of the queue: the kernel gets its space back at the speed of a copy, not of the sinks.
        startAt(0);
        int n = MappedRingSource.BATCH + 6;
        for (int i = 0; i < n; i++) {
            event(i);
        }
        commit();
        assertEquals(n, ring.read(queue, System.nanoTime() + 1_000_000_000L));
        assertEquals((long) n * SLOT, consumerPosition());
        assertEquals(List.of(), seqs(), "nothing decoded yet");
        assertEquals(n, queue.take(tail, Integer.MAX_VALUE));
        assertEquals(n, seqs().size());
        assertEquals(0L, seqs().get(0));
        assertEquals((long) n - 1, seqs().get(n - 1));
        assertEquals((long) n * (EventQueue.HEADER + EVENT), queue.peak(), "the queue held them all at once");
    }

    @Test
    void whatTheQueueHasNoRoomForIsCountedAsLostByBeeAndItsSpaceGivenBack() {
        queue = new EventQueue(ByteBuffer.allocateDirect(64 + 10 * (EventQueue.HEADER + EVENT))
                .order(ByteOrder.nativeOrder()));
        startAt(0);
        int room = queue.capacity() / (EventQueue.HEADER + EVENT);
        for (int i = 0; i < room + 5; i++) {
            event(i);
        }
        commit();
        assertEquals(room + 5, ring.read(queue, System.nanoTime() + 1_000_000_000L));
        assertEquals((long) (room + 5) * SLOT, consumerPosition(), "the kernel has all its space back");
        assertEquals(5, stats.queueLost());
        assertEquals(room, queue.take(tail, Integer.MAX_VALUE));
        assertEquals((long) room - 1, seqs().get(room - 1), "the first ones kept, in order");
        assertEquals("unknown + 5 in bee's queue", stats.lostText());
    }

    @Test
    void aFullRingIsCountedOncePerTimeItIsFoundFull() {
        startAt(0);
        for (int i = 0; i < SIZE / SLOT; i++) {
            event(i);
        }
        commit();
        consume();
        assertEquals(1, stats.ringFull(), "no room for one more event");
        for (int i = 0; i < SIZE / SLOT - 1; i++) {
            event(i);
        }
        commit();
        consume();
        assertEquals(1, stats.ringFull(), "one slot was free: not full");
        for (int i = 0; i < SIZE / SLOT; i++) {
            event(i);
        }
        commit();
        consume();
        assertEquals(2, stats.ringFull(), "full again");
        assertEquals(3 * (SIZE / SLOT) - 1, sink.written.size());
    }
}
