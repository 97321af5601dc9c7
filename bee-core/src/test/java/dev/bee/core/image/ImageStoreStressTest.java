package dev.bee.core.image;

import dev.bee.core.BeeException;
import dev.bee.core.testing.StoreValidator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Builds, tags and removals at once in one JVM, sharing blobs (one config, few programs), so that a
 * removal's garbage collection keeps deleting blobs other builds are about to reuse; then every name
 * left must reach whole, matching blobs. Before blobs were held from staging to commit, some builds
 * committed a name whose config and layer were gone.
 */
class ImageStoreStressTest {
    @TempDir
    Path tmp;

    @Test
    void everyNameReachesWholeBlobsAfterConcurrentBuildsAndRemovals() throws Exception {
        ImageStore store = new ImageStore(tmp.resolve("store"));
        byte[] config = ImageStoreTest.config("GPL");
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 6; t++) {
            int id = t;
            threads.add(new Thread(() -> {
                ThreadLocalRandom r = ThreadLocalRandom.current();
                for (int i = 0; i < 400; i++) {
                    try {
                        String name = "stress/p" + id + ":" + (i % 5);
                        ImageBuilder.Built b = ImageBuilder.build(ImageStoreTest.elf("m" + r.nextInt(3)), config, Map.of());
                        ImageBuilder.store(store, name, b, null);
                        if (r.nextInt(8) == 0) {
                            store.tag(name, name + "-copy");
                        }
                        // Mostly removed again at once: the store is often empty, so each removal's
                        // collection deletes the shared blobs while other threads are staging.
                        if (r.nextInt(8) != 0) {
                            store.remove(name);
                        }
                        if (r.nextInt(16) == 0) {
                            try {
                                store.remove(name + "-copy");
                            } catch (BeeException e) {
                                // not tagged this round
                            }
                        }
                    } catch (BeeException e) {
                        if (!e.getMessage().contains("no image") && !e.getMessage().contains("incomplete")) {
                            failures.add(e);
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        assertTrue(failures.isEmpty(), failures.toString());
        assertEquals(List.of(), StoreValidator.problems(store.root()));
        assertTrue(store.namedEntries().size() > 0, "some images are left to check");
    }
}
