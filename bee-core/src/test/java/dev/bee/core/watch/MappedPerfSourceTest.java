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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The perf buffer's walk over one CPU's records, on plain buffers laid out as the kernel maps them (a
 * first page with data_head and data_tail, then data pages mapped once): samples are copied in order, a
 * sample that wraps around the end is joined, PERF_RECORD_LOST adds its count to the map's lost count
 * exactly, other record types are skipped, the reader's position is written back, and bytes that cannot
 * be framed are counted as malformed instead of being walked.
 */
class MappedPerfSourceTest {
    private static final int HEAD = 1024;
    private static final int TAIL = 1032;
    private static final int SIZE = 256;
    /** struct { u32 pid; u32 seq; }, sent as 8 bytes of raw data: 4 + 8 padded to 16, a 24-byte record. */
    private static final int EVENT = 8;

    private final ByteBuffer meta = ByteBuffer.allocateDirect(4096).order(ByteOrder.nativeOrder());
    private final ByteBuffer data = ByteBuffer.allocateDirect(SIZE).order(ByteOrder.nativeOrder());
    private final MapStats stats = new MapStats("print_events", OutputKind.PRINT, "perf buffer", true);
    private final Records sink = new Records();
    private final Emitter emitter = new Emitter(sink, RecordFilter.none(), 0);
    private final EventQueue queue = new EventQueue(ByteBuffer.allocateDirect(1 << 16).order(ByteOrder.nativeOrder()));
    private MappedPerfSource source;
    private EventTail tail;
    private long head;

    @BeforeEach
    void buffer() {
        BtfBuilder b = new BtfBuilder();
        int u32 = b.integer("unsigned int", 4, 0);
        int event = b.struct("event", EVENT, false, new Object[]{"pid", u32, 0}, new Object[]{"seq", u32, 32});
        Btf btf = BtfReader.read("t", b.build());
        EventTarget target = new EventTarget("print_events",
                new EventDecoder(btf, ByteOrder.nativeOrder(), event, "value", EVENT), stats);
        tail = new EventTail(List.of(target), emitter);
        source = new MappedPerfSource(List.of(new MappedPerfSource.Buffer(null, meta, data)), 0, stats);
    }

    private void startAt(long position) {
        meta.putLong(HEAD, position);
        meta.putLong(TAIL, position);
        head = position;
    }

    private void put(long p, byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            data.put((int) ((p + i) % SIZE), bytes[i]);
        }
    }

    private static byte[] ints(int... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.nativeOrder());
        for (int v : values) {
            b.putInt(v);
        }
        return b.array();
    }

    private static byte[] longs(long... values) {
        ByteBuffer b = ByteBuffer.allocate(8 * values.length).order(ByteOrder.nativeOrder());
        for (long v : values) {
            b.putLong(v);
        }
        return b.array();
    }

    private void header(int type, int size) {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder());
        b.putInt(0, type).putShort(4, (short) 0).putShort(6, (short) size);
        put(head, b.array());
    }

    /** A sample of the event {pid, seq}, its raw size padded as the kernel pads it. */
    private void sample(int pid, int seq) {
        header(MappedPerfSource.PERF_RECORD_SAMPLE, 24);
        put(head + 8, ints(12)); // raw size: 8 bytes of event + 4 of padding
        put(head + 12, ints(pid, seq));
        head += 24;
    }

    private void lost(long count) {
        header(MappedPerfSource.PERF_RECORD_LOST, 24);
        put(head + 8, longs(99, count)); // id, lost
        head += 24;
    }

    private void other(int type) {
        header(type, 16);
        head += 16;
    }

    private int consume() {
        meta.putLong(HEAD, head);
        int n = source.read(queue, System.nanoTime() + 1_000_000_000L);
        queue.take(tail, Integer.MAX_VALUE);
        return n;
    }

    private List<Long> seqs() {
        List<Long> out = new ArrayList<>();
        for (MapRecord r : sink.written) {
            out.add((Long) r.field("seq"));
        }
        return out;
    }

    @Test
    void samplesAreCopiedInOrderAndTheReaderPositionWrittenBack() {
        startAt(0);
        sample(100, 1);
        sample(100, 2);
        other(3); // PERF_RECORD_COMM: not ours, skipped
        sample(100, 3);
        assertEquals(3, consume());
        assertEquals(List.of(1L, 2L, 3L), seqs());
        assertEquals(100L, sink.written.get(0).field("pid"));
        assertEquals(head, meta.getLong(TAIL));
        assertEquals(0, consume(), "nothing new");
    }

    @Test
    void aSampleThatWrapsAroundTheEndIsJoined() {
        // Records are 8-byte aligned: the raw size, the event or its padding can each be cut by the end.
        for (long start : new long[]{SIZE - 8, SIZE - 16, SIZE - 24, 3L * SIZE - 8}) {
            sink.written.clear();
            startAt(start);
            sample(7, 41);
            sample(7, 42);
            assertEquals(2, consume(), "from " + start);
            assertEquals(List.of(41L, 42L), seqs(), "from " + start);
        }
    }

    @Test
    void lostRecordsAddTheirCountExactly() {
        startAt(0);
        sample(1, 1);
        lost(1234);
        sample(1, 2);
        lost(6);
        assertEquals(2, consume());
        assertEquals(1240, stats.lost());
        assertEquals("1240", stats.lostText());
        assertTrue(stats.lossCounted());
    }

    @Test
    void aLostCountThatWrapsAroundTheEndIsJoined() {
        startAt(SIZE - 16); // the count's 8 bytes start at the very end
        lost(0x1_0000_0002L);
        assertEquals(0, consume());
        assertEquals(0x1_0000_0002L, stats.lost());
    }

    @Test
    void bytesThatCannotBeFramedAreCountedNotWalked() {
        startAt(0);
        sample(1, 1);
        header(MappedPerfSource.PERF_RECORD_SAMPLE, 4); // shorter than a header
        head += 64;
        assertEquals(1, consume());
        assertEquals(1, stats.malformed());
        assertEquals(head, meta.getLong(TAIL), "the rest is skipped, not read as records");
    }

    @Test
    void aSampleLongerThanItsRecordIsMalformed() {
        startAt(0);
        header(MappedPerfSource.PERF_RECORD_SAMPLE, 24);
        put(8, ints(1000));
        head += 24;
        assertEquals(1, consume(), "taken out, and counted");
        assertEquals(1, stats.malformed());
        assertEquals(List.of(), seqs());
    }
}
