package dev.bee.core.runtime;

import dev.bee.core.attach.Attachment;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Detaching: plain links at once, the rest in order on the caller's thread, and all done on return. */
class SessionDetachTest {
    private static final long WAIT_MS = 150;

    private record Fake(String description, boolean detachesConcurrently, List<String> log) implements Attachment {
        @Override
        public void close() {
            try {
                Thread.sleep(WAIT_MS); // as the kernel waits for a grace period
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            log.add(description + "@" + Thread.currentThread().getName());
        }
    }

    @Test
    void linksAreDetachedTogetherAndTheRestInOrderBeforeDetachReturns() {
        List<String> log = new CopyOnWriteArrayList<>();
        Session s = new Session(null, null);
        s.addAttachment(new Fake("tc1", false, log));
        s.addAttachment(new Fake("tp1", true, log));
        s.addAttachment(new Fake("tp2", true, log));
        s.addAttachment(new Fake("tp3", true, log));
        s.addAttachment(new Fake("tc2", false, log));
        long start = System.nanoTime();
        s.detach();
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertEquals(5, log.size(), "every attachment is detached when detach returns: " + log);
        String me = Thread.currentThread().getName();
        assertEquals(List.of("tc2@" + me, "tc1@" + me), log.stream().filter(l -> l.startsWith("tc")).toList(),
                "the others newest first, on this thread");
        assertTrue(log.stream().filter(l -> l.startsWith("tp")).allMatch(l -> l.endsWith("@bee-detach")), log.toString());
        // Two sequential waits (tc2, tc1) overlap the three links' waits: far less than five in a row.
        assertTrue(ms < 4 * WAIT_MS, "took " + ms + " ms");
        assertTrue(s.attachments().isEmpty());
        s.detach(); // idempotent
        assertEquals(5, log.size());
    }

    @Test
    void aSingleLinkIsDetachedOnTheCallersThread() {
        List<String> log = new CopyOnWriteArrayList<>();
        Session s = new Session(null, null);
        s.addAttachment(new Fake("tp", true, log));
        s.detach();
        assertEquals(List.of("tp@" + Thread.currentThread().getName()), log);
    }
}
