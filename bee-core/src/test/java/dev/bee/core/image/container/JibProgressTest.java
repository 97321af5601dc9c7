package dev.bee.core.image.container;

import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.event.events.ProgressEvent;
import com.google.cloud.tools.jib.event.progress.Allocation;
import dev.bee.core.image.TransferProgress;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class JibProgressTest {
    private static final String A = "sha256:" + "a".repeat(64);
    private static final String B = "sha256:" + "b".repeat(64);
    private static final String C = "sha256:" + "c".repeat(64);

    /** Records calls as text. */
    private static final class Recorder implements TransferProgress {
        final String name;
        final List<String> calls;

        Recorder(String name, List<String> calls) {
            this.name = name;
            this.calls = calls;
        }

        @Override
        public void start(String what, String digest, long size) {
            calls.add(name + " start " + what + " " + size);
        }

        @Override
        public void advance(long bytes) {
            calls.add(name + " +" + bytes);
        }

        @Override
        public void done(String what, String digest, long size, boolean skipped) {
            calls.add(name + " done " + what + (skipped ? " skipped" : ""));
        }
    }

    @Test
    void interleavedPushesAreShownOneAtATimeAndSkippedBlobsSaySo() {
        List<String> calls = new ArrayList<>();
        JibProgress p = new JibProgress(new Recorder("push", calls), new Recorder("pull", calls));
        Allocation root = Allocation.newRoot("building images to registry", 1);
        Allocation layers = root.newChild("launching layer pushers", 2);
        Allocation a = layers.newChild("pushing blob " + A, 100);
        Allocation b = layers.newChild("pushing blob " + B, 10);
        Allocation config = root.newChild("pushing container configuration", 1).newChild("pushing blob " + C, 5);

        p.accept(new ProgressEvent(root, 0));          // not a blob: ignored
        p.accept(new ProgressEvent(a, 40));
        p.accept(new ProgressEvent(b, 4));             // another push while a is shown: held back
        p.accept(new ProgressEvent(a, 60));
        p.accept(new ProgressEvent(b, 6));             // b ends while nothing is shown: reported whole
        p.accept(new ProgressEvent(config, 5));
        p.accept(LogEvent.info("Skipping push; BLOB already exists on target registry : digest: " + A + ", size: 100"));
        p.accept(LogEvent.info("Skipping pull; BLOB already exists on target registry : digest: "
                + "sha256:" + "d".repeat(64) + ", size: 7"));

        assertEquals(List.of(
                "push start layer aaaaaaaaaaaa 100", "push +40", "push +60", "push done layer aaaaaaaaaaaa",
                "push start layer bbbbbbbbbbbb 10", "push +10", "push done layer bbbbbbbbbbbb",
                "push start config cccccccccccc 5", "push +5", "push done config cccccccccccc",
                "push done blob dddddddddddd skipped"), calls);
    }

    @Test
    void baseLayerPullsGoToThePullPrinterAndTheBaseDigestIsKept() {
        List<String> calls = new ArrayList<>();
        JibProgress p = new JibProgress(new Recorder("push", calls), new Recorder("pull", calls));
        assertNull(p.baseDigest());
        Allocation pull = Allocation.newRoot("pulling base image layer " + A, 50);
        p.accept(new ProgressEvent(pull, 50));
        p.accept(LogEvent.lifecycle("Using base image with digest: " + B));
        assertEquals(List.of("pull start base layer aaaaaaaaaaaa 50", "pull +50", "pull done base layer aaaaaaaaaaaa"),
                calls);
        assertEquals(B, p.baseDigest());
    }
}
