package dev.bee.core.runtime;

import dev.bee.core.attach.Attachment;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Detaching: plain links at once, the rest in order on the caller's thread, and all done on return. Told
 * by barriers, not by timing: the three links' closes must all be running at once (a barrier of three),
 * and the caller's own closes run while they do.
 */
class SessionDetachTest {
    private static final long TIMEOUT_S = 20;

    /** An attachment whose close first waits for {@code before} (if any), then records where it ran. */
    private record Fake(String description, boolean detachesConcurrently, List<String> log, Runnable before)
            implements Attachment {
        @Override
        public void close() {
            if (before != null) {
                before.run();
            }
            log.add(description + "@" + Thread.currentThread().getName());
        }
    }

    @Test
    void linksAreDetachedTogetherAndTheRestInOrderBeforeDetachReturns() {
        List<String> log = new CopyOnWriteArrayList<>();
        CyclicBarrier allLinks = new CyclicBarrier(3);
        CountDownLatch linksRunning = new CountDownLatch(1);
        CountDownLatch callerDone = new CountDownLatch(1);
        Runnable link = () -> {
            linksRunning.countDown();
            await(allLinks);
        };
        Session s = new Session(null, null);
        s.addAttachment(new Fake("tc1", false, log, callerDone::countDown));
        s.addAttachment(new Fake("tp1", true, log, link));
        s.addAttachment(new Fake("tp2", true, log, link));
        s.addAttachment(new Fake("tp3", true, log, link));
        // The caller's first close waits until a link's close has begun: the two overlap.
        s.addAttachment(new Fake("tc2", false, log, () -> await(linksRunning)));
        s.detach();
        assertEquals(5, log.size(), "every attachment is detached when detach returns: " + log);
        assertEquals(0, callerDone.getCount());
        String me = Thread.currentThread().getName();
        assertEquals(List.of("tc2@" + me, "tc1@" + me), log.stream().filter(l -> l.startsWith("tc")).toList(),
                "the others newest first, on this thread");
        assertTrue(log.stream().filter(l -> l.startsWith("tp")).allMatch(l -> l.endsWith("@bee-detach")), log.toString());
        assertTrue(s.attachments().isEmpty());
        s.detach(); // idempotent
        assertEquals(5, log.size());
    }

    @Test
    void aSingleLinkIsDetachedOnTheCallersThread() {
        List<String> log = new CopyOnWriteArrayList<>();
        Session s = new Session(null, null);
        s.addAttachment(new Fake("tp", true, log, null));
        s.detach();
        assertEquals(List.of("tp@" + Thread.currentThread().getName()), log);
    }

    private static void await(CyclicBarrier b) {
        try {
            b.await(TIMEOUT_S, TimeUnit.SECONDS);
        } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
            throw new AssertionError("the links were not detached together", e);
        }
    }

    private static void await(CountDownLatch l) {
        try {
            if (!l.await(TIMEOUT_S, TimeUnit.SECONDS)) {
                throw new AssertionError("no link was being detached while the caller detached the rest");
            }
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
