package dev.bee.core.image;

import dev.bee.core.BeeException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * What the store no longer needs: blobs that no entry of its index reaches, and staging folders whose
 * process has ended. What an entry reaches is read through the image model: an index's manifests
 * ({@link ImageManifest#indexEntries}), a manifest's config and layers ({@link ImageManifest#read}, the
 * structure alone, so that a container image's large layers count too). While a document an entry reaches
 * cannot be read, no blob is deleted: what it refers to is unknown, and might be deleted with the garbage.
 * Blobs are collected under the store's lock.
 */
final class StoreGarbage {
    /** How deep indexes may nest (an index of indexes of manifests is 2): a bound on the walk. */
    static final int MAX_DEPTH = 4;

    private final StoreFiles files;

    StoreGarbage(StoreFiles files) {
        this.files = files;
    }

    /**
     * What documents reach.
     *
     * @param blobs      the digests of the documents and of every blob they refer to, present or not
     * @param unreadable the documents among them that are in the store but are no manifest or index bee can
     *                   read, or nest deeper than {@link #MAX_DEPTH}: what they refer to is not in {@code blobs}
     */
    record Reach(Set<String> blobs, Set<String> unreadable) {
    }

    /** What the manifests or indexes {@code roots} reach. */
    Reach reach(Collection<String> roots) {
        Set<String> blobs = new HashSet<>();
        Set<String> unreadable = new TreeSet<>();
        for (String d : roots) {
            visit(d, blobs, unreadable, 0);
        }
        return new Reach(blobs, unreadable);
    }

    private void visit(String digest, Set<String> blobs, Set<String> unreadable, int depth) {
        if (!blobs.add(digest)) {
            return;
        }
        byte[] raw;
        try {
            Path p = files.blob(digest);
            if (!Files.isRegularFile(p)) {
                return; // missing: nothing here to keep for it (an index may list manifests a store does not hold)
            }
            if (depth > MAX_DEPTH || Files.size(p) > Digests.MAX_DOCUMENT) {
                unreadable.add(digest);
                return;
            }
            raw = Files.readAllBytes(p);
        } catch (IOException e) {
            unreadable.add(digest);
            return;
        }
        try {
            // By content, not by the media type the referring descriptor claims.
            if (ImageManifest.isIndex(raw, null, digest)) {
                for (Descriptor m : ImageManifest.indexEntries(raw, digest, Long.MAX_VALUE)) {
                    visit(m.digest(), blobs, unreadable, depth + 1);
                }
            } else {
                for (Descriptor b : ImageManifest.read(raw, digest).blobs()) {
                    blobs.add(b.digest());
                }
            }
        } catch (BeeException e) {
            unreadable.add(digest);
        }
    }

    /** Deletes the blobs that none of {@code entries} reaches; none while one of them cannot be read. */
    void collect(Collection<ImageStore.Entry> entries) throws IOException {
        Reach reach = reach(entries.stream().map(ImageStore.Entry::digest).toList());
        if (!reach.unreadable().isEmpty() || !Files.isDirectory(files.blobs())) {
            return;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(files.blobs())) {
            for (Path p : ds) {
                String digest = StoreFiles.blobDigest(p.getFileName().toString());
                if (digest != null && !reach.blobs().contains(digest)) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /**
     * Deletes staging folders whose process has ended (a pull killed before it could clean up). A folder of a
     * live process, or one not named by bee, is left alone. Safe without the lock: a dead process writes nothing.
     */
    void sweepStaging() throws IOException {
        Path parent = files.staging();
        if (!Files.isDirectory(parent)) {
            return;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(parent, StoreFiles.stagingGlob())) {
            for (Path d : ds) {
                long pid = StoreFiles.stagingOwner(d.getFileName().toString());
                if (pid > 0 && ProcessHandle.of(pid).isEmpty()) {
                    deleteTree(d);
                }
            }
        }
    }

    /** {@link #sweepStaging} for commands that only read (list, describe, run REF...): quietly, as a read-only store is still readable. */
    void sweepStagingQuietly() {
        try {
            sweepStaging();
        } catch (IOException | UncheckedIOException e) {
            // best effort: a leftover is hidden and ignored by readers, and the next command tries again
        }
    }

    /** Deletes a folder and what is in it. */
    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
