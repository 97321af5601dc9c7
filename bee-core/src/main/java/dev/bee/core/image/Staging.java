package dev.bee.core.image;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import dev.bee.core.io.WriteError;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The store's writer: blobs of one image on their way into the store ({@link ImageStore#stage}). Each is
 * verified against its digest as it is written into a staging folder of its own; {@link #commit} moves them
 * into {@code blobs/} and names the manifest in {@code index.json}, under the store's lock; {@link #close}
 * without a commit leaves the store as it was.
 */
public final class Staging implements AutoCloseable {
    private final StoreFiles files;
    private final StoreReader reader;
    private final StoreIndex index;
    private final StoreGarbage garbage;
    private final boolean storeExisted;
    private final Map<String, Path> staged = new LinkedHashMap<>();
    private Path dir;

    /** Deletes the folder when the JVM ends before {@link #close} (SIGINT, SIGTERM, System.exit). */
    private Thread hook;

    Staging(StoreFiles files, StoreReader reader, StoreIndex index, StoreGarbage garbage) {
        this.files = files;
        this.reader = reader;
        this.index = index;
        this.garbage = garbage;
        this.storeExisted = Files.exists(files.root());
    }

    private Path dir() throws IOException {
        if (dir == null) {
            Path parent = files.staging();
            Files.createDirectories(parent);
            dir = Files.createTempDirectory(parent, StoreFiles.stagingPrefix(ProcessHandle.current().pid()));
            Path d = dir;
            hook = new Thread(() -> deleteQuietly(d), "bee-staging-cleanup");
            Runtime.getRuntime().addShutdownHook(hook);
        }
        return dir;
    }

    /**
     * Whether the blob is staged, or in the store and now hard-linked into the staging folder: the link holds a
     * stored blob's bytes for this image even if a concurrent {@code rmi} collects it before the commit (which
     * moves it back). False when it is neither, or was collected just now: then it has to be staged anew.
     */
    public boolean hardLinkIfStored(String digest) {
        if (staged.containsKey(digest)) {
            return true;
        }
        if (!reader.has(digest)) {
            return false;
        }
        try {
            Path p = dir().resolve(Digests.hex(digest));
            Files.deleteIfExists(p);
            Files.createLink(p, files.blob(digest));
            staged.put(digest, p);
            return true;
        } catch (NoSuchFileException e) {
            return false; // collected between the check and the link: stage it anew
        } catch (IOException | UnsupportedOperationException e) {
            throw e instanceof IOException io ? writeError(io) : new BeeException(ErrorKind.ENVIRONMENT,
                    "the image store " + files.root() + " is on a file system without hard links",
                    "choose another with --storage DIR or BEE_STORAGE");
        }
    }

    /** Stages bytes (or holds the stored blob with the same digest); returns their digest. */
    public String put(byte[] data) {
        String digest = Digests.sha256(data);
        if (hardLinkIfStored(digest)) {
            return digest;
        }
        try {
            Path p = dir().resolve(Digests.hex(digest));
            Files.write(p, data);
            staged.put(digest, p);
        } catch (IOException e) {
            throw writeError(e);
        }
        return digest;
    }

    /** Stages a stream, checking it against {@code d}'s digest and size. */
    public void put(InputStream in, Descriptor d, String what, Digests.Counter counter) {
        try {
            Path p = dir().resolve(Digests.hex(d.digest()));
            try (OutputStream out = Files.newOutputStream(p)) {
                Digests.copyVerified(in, out, d.digest(), d.size(), what, counter);
            } catch (RuntimeException e) {
                Files.deleteIfExists(p);
                throw e;
            }
            staged.put(d.digest(), p);
        } catch (IOException e) {
            throw writeError(e);
        }
    }

    /** A staged or stored blob's bytes (verified). */
    public byte[] read(String digest, long max) {
        Path p = staged.get(digest);
        if (p == null) {
            return reader.read(digest, max);
        }
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw writeError(e);
        }
    }

    /** Moves the staged blobs into the store and names {@code manifest} {@code name} (null: no name). */
    public ImageStore.Entry commit(String name, Descriptor manifest) {
        return new StoreLock(files).run(() -> {
            garbage.sweepStaging();
            // Checked before anything is written, so a refused commit leaves the store as it was.
            if (!staged.containsKey(manifest.digest()) && !reader.has(manifest.digest())) {
                throw new BeeException(ErrorKind.INTERNAL, "manifest " + manifest.digest() + " was not staged");
            }
            index.createLayout();
            for (Map.Entry<String, Path> b : staged.entrySet()) {
                Path target = files.blob(b.getKey());
                if (Files.exists(target)) {
                    continue; // still stored (a held blob nobody collected)
                }
                try {
                    Files.move(b.getValue(), target, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(b.getValue(), target);
                }
            }
            // Under the lock, before the name is written: everything the manifest reaches is there.
            List<String> missing = garbage.reach(List.of(manifest.digest())).blobs().stream()
                    .filter(d -> !reader.has(d)).sorted().toList();
            if (!missing.isEmpty()) {
                throw new BeeException(ErrorKind.INPUT, "the image " + manifest.digest() + " is incomplete: "
                        + missing.size() + " of its blobs are missing (" + missing.get(0) + ")",
                        "run the command again; nothing was named");
            }
            if (name != null) {
                index.name(name, manifest);
            }
            return new ImageStore.Entry(name, manifest);
        });
    }

    private BeeException writeError(IOException e) {
        return WriteError.of(files.root(), e, StoreLock.HINT);
    }

    @Override
    public void close() {
        if (hook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down: the hook deletes the folder
            }
        }
        try {
            if (dir != null) {
                StoreGarbage.deleteTree(dir);
            }
            if (!storeExisted && Files.isDirectory(files.root()) && !Files.exists(files.index())) {
                // A first write that failed: leave no folder behind.
                Files.deleteIfExists(files.staging());
                Files.deleteIfExists(files.lock());
                Files.deleteIfExists(files.blobs());
                Files.deleteIfExists(files.blobs().getParent());
                Files.deleteIfExists(files.root());
            }
        } catch (IOException e) {
            // best effort: a leftover staging folder is hidden and ignored by readers
        }
    }

    /** As {@link StoreGarbage#deleteTree}, for a shutdown hook: a few tries, as the interrupted pull may still add a file. */
    private static void deleteQuietly(Path dir) {
        for (int i = 0; i < 3 && Files.exists(dir); i++) {
            try {
                StoreGarbage.deleteTree(dir);
            } catch (IOException | UncheckedIOException e) {
                // again
            }
        }
    }
}
