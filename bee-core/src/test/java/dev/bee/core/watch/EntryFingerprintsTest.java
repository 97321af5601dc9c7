package dev.bee.core.watch;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The poller's compact memory of a map: agrees with a plain HashMap through adds and removes, and stays bounded. */
class EntryFingerprintsTest {
    private static byte[] key(int i) {
        return ByteBuffer.allocate(6).putInt(i).putShort((short) (i * 7)).array();
    }

    @Test
    void agreesWithAHashMapThroughRandomAddsAndRemoves() {
        EntryFingerprints t = new EntryFingerprints(6, 5000);
        Map<Integer, Long> model = new HashMap<>();
        Random r = new Random(42);
        for (int step = 0; step < 200_000; step++) {
            int k = r.nextInt(8000);
            int e = t.find(key(k));
            assertEquals(model.containsKey(k), e >= 0, "key " + k + " at step " + step);
            if (e >= 0) {
                assertEquals(model.get(k), t.value(e));
                assertArrayEquals(key(k), t.key(e));
                if (r.nextBoolean()) {
                    t.remove(e);
                    model.remove(k);
                } else {
                    t.value(e, step);
                    model.put(k, (long) step);
                }
            } else if (t.add(key(k), step, 1) >= 0) {
                model.put(k, (long) step);
            } else {
                assertEquals(5000, model.size(), "refused only when full");
            }
            assertEquals(model.size(), t.size());
        }
        model.forEach((k, v) -> assertEquals(v, t.value(t.find(key(k)))));
    }

    @Test
    void refusesKeysPastItsCapacityAndKeepsTheOthers() {
        EntryFingerprints t = new EntryFingerprints(6, 1000);
        for (int i = 0; i < 1000; i++) {
            assertTrue(t.add(key(i), i, 1) >= 0);
        }
        assertEquals(-1, t.add(key(1000), 0, 1));
        assertEquals(1000, t.size());
        for (int i = 0; i < 1000; i++) {
            assertEquals(i, t.value(t.find(key(i))));
        }
        t.remove(t.find(key(3)));
        assertTrue(t.add(key(1000), 5, 1) >= 0, "room again after a removal");
    }

    @Test
    void smallValuesAreTheirOwnFingerprintAndLongOnesHash() {
        assertEquals(0x0102L, EntryFingerprints.fingerprint(new byte[]{1, 2}));
        assertNotEquals(EntryFingerprints.fingerprint(new byte[]{0, 1}), EntryFingerprints.fingerprint(new byte[]{1, 0}));
        byte[] a = new byte[64];
        byte[] b = new byte[64];
        b[63] = 1;
        assertNotEquals(EntryFingerprints.fingerprint(a), EntryFingerprints.fingerprint(b));
        assertEquals(EntryFingerprints.fingerprint(a), EntryFingerprints.fingerprint(new byte[64]));
    }

    @Test
    void aBigMapOfSmallKeysFitsTheTrackingBudget() {
        // counter_ maps of the issue: 262,144 entries of an 8-byte key within Watcher.TRACK_BYTES.
        assertTrue(262_144 * EntryFingerprints.bytesPerEntry(8) <= Watcher.TRACK_BYTES);
    }
}
