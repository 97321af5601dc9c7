package dev.bee.core.image;

import dev.bee.core.BeeException;
import dev.bee.core.BeeHome;
import dev.bee.core.ErrorKind;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * bee's local image store: an OCI image layout folder ({@code oci-layout}, {@code index.json},
 * {@code blobs/sha256/...}) that other OCI tools read (skopeo's {@code oci:DIR:NAME}). Names are kept
 * in {@code index.json} as {@code org.opencontainers.image.ref.name}, in their short Docker form
 * ({@code my_probe:v1}, {@code localhost:5000/probes/x:v1}), as BumbleBee keeps them.
 *
 * <p>Writes never leave a half state: new blobs are written into a staging folder and verified
 * against their digests, then moved into {@code blobs/} and {@code index.json} is replaced by a
 * rename, all under a file lock so that concurrent bee processes do not lose each other's changes.
 * A failed write leaves the store as it was.
 *
 * <p>The commands' one entry to the store, made of parts with one job each: {@link StoreFiles} (where
 * each file is), {@link StoreIndex} (the names), {@link StoreLookup} (which entry a reference names),
 * {@link StoreReader} (verified reads, opening an image), {@link Staging} (the writer), {@link StoreLock}
 * and {@link StoreGarbage} (blobs nothing reaches, abandoned staging folders).
 */
public final class ImageStore {
    public static final String ENV = "BEE_STORAGE";

    private final StoreFiles files;
    private final StoreIndex index;
    private final StoreReader reader;
    private final StoreGarbage garbage;
    private final StoreLock lock;

    public ImageStore(Path root) {
        this.files = new StoreFiles(root);
        this.index = new StoreIndex(files);
        this.reader = new StoreReader(files);
        this.garbage = new StoreGarbage(files);
        this.lock = new StoreLock(files);
    }

    /** {@code $BEE_STORAGE}, else {@code store/} under bee's home ({@code ~/.bee}). */
    public static Path defaultRoot() {
        String env = System.getenv(ENV);
        return env != null && !env.isBlank() ? Path.of(env) : BeeHome.root().resolve("store");
    }

    public Path root() {
        return files.root();
    }

    /** An entry of {@code index.json}: the stored name (null for unnamed entries) and the descriptor. */
    public record Entry(String name, Descriptor descriptor) {
        public String digest() {
            return descriptor.digest();
        }
    }

    // ---- reading ----

    /** Every entry of {@code index.json}, in its order (abandoned staging folders are swept first). */
    public List<Entry> entries() {
        garbage.sweepStagingQuietly();
        return index.entries();
    }

    /** Every named image, in index order (unnamed entries, such as manifests of an index, left out). */
    public List<Entry> namedEntries() {
        return entries().stream().filter(e -> e.name() != null).toList();
    }

    /** The entry {@code ref} names: a name, {@code NAME@sha256:...}, a digest or a digest prefix. */
    public Optional<Entry> find(String ref) {
        return StoreLookup.find(entries(), ref);
    }

    public Entry resolve(String ref) {
        return find(ref).orElseThrow(() -> notFound(ref));
    }

    private BeeException notFound(String ref) {
        return new BeeException(ErrorKind.NOT_FOUND, "image " + ref + " is not in the local store (" + root() + ")",
                "'bee list' shows the local images; 'bee pull " + ref + "' fetches it from its registry");
    }

    public Path blobPath(String digest) {
        return files.blob(digest);
    }

    public boolean hasBlob(String digest) {
        return reader.has(digest);
    }

    /** A blob's bytes, checked against its digest and {@code maxSize}. */
    public byte[] readBlob(String digest, long maxSize) {
        return reader.read(digest, maxSize);
    }

    /** The image {@code ref} names, read and checked (an index picks this machine's platform). */
    public LocalImage open(String ref) {
        return open(resolve(ref));
    }

    public LocalImage open(Entry e) {
        return reader.open(e);
    }

    /** The ELF object of image {@code ref} (for {@code bee run REF}); see {@link ImageFormats#program}. */
    public byte[] objectBytes(String ref) {
        return objectBytes(open(ref));
    }

    public byte[] objectBytes(LocalImage image) {
        return reader.object(image);
    }

    // ---- writing ----

    /** Starts a write: blobs go to a private staging folder until {@link Staging#commit}. */
    public Staging stage() {
        return new Staging(files, reader, index, garbage);
    }

    /** Gives image {@code src} the additional name {@code dst} (replacing what {@code dst} named). */
    public Entry tag(String src, String dst) {
        String name = ImageRef.parse(dst).familiar();
        return lock.run(() -> {
            Entry e = resolve(src);
            if (ImageRef.parse(dst).digest() != null) {
                throw new BeeException(ErrorKind.USAGE, "cannot tag with a digest: " + dst, "use NAME:TAG");
            }
            index.name(name, e.descriptor());
            return new Entry(name, e.descriptor());
        });
    }

    /**
     * Removes {@code ref}: one name, or with a digest every name of that image; then deletes the blobs
     * no remaining image uses. Returns the names removed.
     */
    public List<String> remove(String ref) {
        return lock.run(() -> {
            garbage.sweepStaging();
            List<Entry> victims = StoreLookup.toRemove(index.entries(), ref);
            if (victims.isEmpty()) {
                throw notFound(ref);
            }
            List<String> removed = index.remove(victims);
            garbage.collect(index.entries());
            return removed;
        });
    }
}
