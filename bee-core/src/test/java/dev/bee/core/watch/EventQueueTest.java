package dev.bee.core.watch;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The queue between the drain and the decoder: entries come out in order with their target, time and
 * bytes, only once published; an entry that does not fit before the end goes to the start; a full queue
 * refuses (the caller counts the loss) until the consumer frees space; an entry whose decoding throws is
 * freed; a waiting consumer is woken by a publish on another thread; use and peak are counted.
 */
class EventQueueTest {
    private record Entry(int target, long time, byte[] bytes) {
    }

    private final List<Entry> taken = new ArrayList<>();
    private final EventQueue.Entries collect = (buffer, target, time, offset, length) -> {
        byte[] b = new byte[length];
        buffer.get(offset, b);
        taken.add(new Entry(target, time, b));
    };

    private static EventQueue queue(int bytes) {
        return new EventQueue(ByteBuffer.allocate(bytes).order(ByteOrder.nativeOrder()));
    }

    private static boolean offer(EventQueue q, int target, long time, byte... bytes) {
        return q.offer(target, time, bytes);
    }

    @Test
    void entriesComeOutInOrderOnlyOncePublished() {
        EventQueue q = queue(1024);
        assertTrue(offer(q, 0, 11, (byte) 1, (byte) 2, (byte) 3));
        assertTrue(offer(q, 2, 12, (byte) 4));
        assertEquals(0, q.take(collect, 10), "not published yet");
        assertFalse(q.hasEntries());
        q.publish();
        assertTrue(q.hasEntries());
        assertEquals(2, q.take(collect, 10));
        assertEquals(0, taken.get(0).target());
        assertEquals(11, taken.get(0).time());
        assertEquals(List.of((byte) 1, (byte) 2, (byte) 3), boxed(taken.get(0).bytes()));
        assertEquals(2, taken.get(1).target());
        assertEquals(List.of((byte) 4), boxed(taken.get(1).bytes()));
        assertFalse(q.hasEntries());
        assertEquals(0, q.used());
    }

    @Test
    void takeHandsOverAtMostItsMaximum() {
        EventQueue q = queue(1024);
        for (int i = 0; i < 5; i++) {
            offer(q, i, i, (byte) i);
        }
        q.publish();
        assertEquals(3, q.take(collect, 3));
        assertEquals(2, q.take(collect, 3));
        assertEquals(List.of(0, 1, 2, 3, 4), taken.stream().map(Entry::target).toList());
    }

    @Test
    void anEntryThatDoesNotFitBeforeTheEndGoesToTheStart() {
        EventQueue q = queue(64); // entries of 8 bytes take 24: two fit, 16 bytes are left at the end
        for (int round = 0; round < 10; round++) {
            assertTrue(offer(q, round, round, new byte[8]));
            assertTrue(offer(q, round, round, new byte[8]));
            q.publish();
            assertEquals(2, q.take(collect, 10), "round " + round);
        }
        assertEquals(20, taken.size());
    }

    @Test
    void aStreamTheConsumerKeepsUpWithStaysInTheFirstPages() {
        // Memory is resident only where it was written: a queue cycling through all of it would cost its
        // whole size in RSS even when nothing waits in it.
        EventQueue q = queue(16 << 20);
        int highest = 0;
        for (int i = 0; i < 100_000; i++) {
            int at = q.reserve(0, i, 48);
            highest = Math.max(highest, at);
            q.publish();
            assertEquals(1, q.take(collect, 10));
        }
        assertTrue(highest < EventQueue.RESTART_BLOCK + 64, "highest offset " + highest);
        assertEquals(100_000, taken.size());
    }

    @Test
    void aBacklogGoesAsFarAsItNeedsAndTheQueueComesBackToTheStartOnceEmpty() {
        EventQueue q = queue(1 << 20);
        for (int i = 0; i < 10_000; i++) { // 640 KB waiting
            assertTrue(offer(q, 0, i, new byte[48]));
        }
        q.publish();
        assertEquals(10_000, q.take(collect, 20_000));
        int at = q.reserve(0, 0, 48);
        int next = -1;
        for (int i = 0; i < 2000 && next != EventQueue.HEADER; i++) { // to the next block's start
            q.publish();
            q.take(collect, 10);
            next = q.reserve(0, 0, 48);
        }
        assertTrue(at > 600_000, "the backlog's end: " + at);
        assertEquals(EventQueue.HEADER, next, "back at the start");
        q.publish();
        assertTrue(q.take(collect, 10) >= 1);
    }

    @Test
    void aFullQueueRefusesUntilSpaceIsFreed() {
        EventQueue q = queue(64 + 8); // three 24-byte entries
        assertTrue(offer(q, 0, 0, new byte[8]));
        assertTrue(offer(q, 1, 0, new byte[8]));
        assertTrue(offer(q, 2, 0, new byte[8]));
        assertFalse(offer(q, 3, 0, new byte[8]), "full");
        assertFalse(offer(q, 3, 0, new byte[1000]), "larger than the queue");
        q.publish();
        assertEquals(72, q.peak());
        assertEquals(1, q.take(collect, 1));
        assertTrue(offer(q, 4, 0, new byte[8]), "room again");
        q.publish();
        assertEquals(3, q.take(collect, 10));
        assertEquals(List.of(0, 1, 2, 4), taken.stream().map(Entry::target).toList());
    }

    @Test
    void anEntryWhoseDecodingThrowsIsFreedAndTheRestStayQueued() {
        EventQueue q = queue(1024);
        offer(q, 0, 0, (byte) 0);
        offer(q, 1, 0, (byte) 1);
        offer(q, 2, 0, (byte) 2);
        q.publish();
        assertThrows(IllegalStateException.class, () -> q.take((buffer, target, time, offset, length) -> {
            if (target == 1) {
                throw new IllegalStateException("output closed");
            }
            collect.entry(buffer, target, time, offset, length);
        }, 10));
        assertEquals(1, q.take(collect, 10), "entry 1 is not handed over again");
        assertEquals(List.of(0, 2), taken.stream().map(Entry::target).toList());
    }

    @Test
    void aWaitingConsumerIsWokenByAPublishOnAnotherThread() throws Exception {
        EventQueue q = queue(1024);
        CountDownLatch waiting = new CountDownLatch(1);
        boolean[] woke = new boolean[1];
        Thread consumer = new Thread(() -> {
            waiting.countDown();
            woke[0] = q.await(TimeUnit.SECONDS.toNanos(30));
        });
        consumer.start();
        waiting.await();
        offer(q, 0, 0, (byte) 7);
        q.publish();
        consumer.join(TimeUnit.SECONDS.toMillis(30));
        assertFalse(consumer.isAlive(), "woken well before its 30 s");
        assertTrue(woke[0]);
    }

    @Test
    void aWaitWithNothingPublishedTimesOut() {
        assertFalse(queue(1024).await(1_000_000));
    }

    @Test
    void manyEntriesPassBetweenTwoThreadsIntactAndInOrder() throws Exception {
        EventQueue q = queue(4096);
        int n = 200_000;
        Thread producer = new Thread(() -> {
            ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder());
            for (int i = 0; i < n; ) {
                b.putLong(0, i);
                int at = q.reserve(i % 3, i, 8 + i % 5);
                if (at < 0) {
                    q.publish();
                    Thread.onSpinWait();
                    continue;
                }
                q.buffer().put(at, b, 0, 8);
                if (i % 7 == 0) {
                    q.publish();
                }
                i++;
            }
            q.publish();
        });
        producer.start();
        long[] next = {0};
        List<String> wrong = new ArrayList<>();
        EventQueue.Entries check = (buffer, target, time, offset, length) -> {
            long i = buffer.getLong(offset);
            if (i != next[0] || time != i || target != i % 3 || length != 8 + i % 5) {
                wrong.add("entry " + next[0] + ": " + i + "/" + time + "/" + target + "/" + length);
            }
            next[0]++;
        };
        while (next[0] < n && wrong.isEmpty()) {
            if (q.await(TimeUnit.SECONDS.toNanos(10))) {
                q.take(check, 100);
            }
        }
        producer.join();
        assertEquals(List.of(), wrong);
        assertEquals(n, next[0]);
    }

    private static List<Byte> boxed(byte[] b) {
        List<Byte> out = new ArrayList<>();
        for (byte x : b) {
            out.add(x);
        }
        return out;
    }
}
