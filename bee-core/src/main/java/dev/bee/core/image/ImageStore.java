package dev.bee.core.image;

import dev.bee.core.BeeException;
import dev.bee.core.BeeHome;
import dev.bee.core.ErrorKind;
import dev.bee.core.io.AtomicFiles;
import dev.bee.core.io.JsonTree;
import dev.bee.core.io.WriteError;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import java.util.stream.Stream;

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
 */
public final class ImageStore {
    public static final String ENV = "BEE_STORAGE";
    private static final String LOCK_FILE = ".bee.lock";
    private static final String STAGING = ".staging";
    private static final Pattern HEX_PREFIX = Pattern.compile("(sha256:)?[0-9a-f]{6,64}");
    private static final Map<Path, ReentrantLock> LOCKS = new ConcurrentHashMap<>();

    private final Path root;

    public ImageStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** {@code $BEE_STORAGE}, else {@code store/} under bee's home ({@code ~/.bee}). */
    public static Path defaultRoot() {
        String env = System.getenv(ENV);
        return env != null && !env.isBlank() ? Path.of(env) : BeeHome.root().resolve("store");
    }

    public Path root() {
        return root;
    }

    /** An entry of {@code index.json}: the stored name (null for unnamed entries) and the descriptor. */
    public record Entry(String name, Descriptor descriptor) {
        public String digest() {
            return descriptor.digest();
        }
    }

    // ---- reading ----

    public List<Entry> entries() {
        sweepStaleStaging();
        List<Entry> out = new ArrayList<>();
        for (Object n : indexManifests()) {
            Descriptor d = Descriptor.parse(n, root + "/index.json");
            out.add(new Entry(d.annotations().get(MediaTypes.REF_NAME), d));
        }
        return out;
    }

    /** The entries of {@code index.json} as they are written there (JSON values as {@link JsonTree} reads them). */
    private List<Object> indexManifests() {
        Path index = root.resolve("index.json");
        if (!Files.isRegularFile(index)) {
            return new ArrayList<>();
        }
        try {
            Object ms = JsonTree.get(JsonTree.parse(Files.readAllBytes(index)), "manifests");
            if (ms == null) {
                return new ArrayList<>();
            }
            if (!(ms instanceof List<?>)) {
                throw new BeeException(ErrorKind.INPUT, index + ": 'manifests' is not an array");
            }
            return JsonTree.array(ms);
        } catch (IOException e) {
            throw new BeeException(ErrorKind.INPUT, "cannot read " + index + ": " + e.getMessage(),
                    "the store is damaged; move it away or pass another --storage", e);
        }
    }

    /** The entry {@code ref} names: a name, {@code NAME@sha256:...}, a digest or a digest prefix. */
    public Optional<Entry> find(String ref) {
        List<Entry> all = entries();
        List<Entry> byName = matchName(all, ref);
        if (!byName.isEmpty()) {
            return Optional.of(byName.get(0));
        }
        List<Entry> byDigest = matchDigest(all, ref);
        if (byDigest.stream().map(Entry::digest).distinct().count() > 1) {
            throw new BeeException(ErrorKind.USAGE, "'" + ref + "' matches several images",
                    "give more digits of the digest, or the image's name");
        }
        return byDigest.stream().findFirst();
    }

    public Entry resolve(String ref) {
        return find(ref).orElseThrow(() -> notFound(ref));
    }

    private BeeException notFound(String ref) {
        return new BeeException(ErrorKind.NOT_FOUND, "image " + ref + " is not in the local store (" + root + ")",
                "'bee list' shows the local images; 'bee pull " + ref + "' fetches it from its registry");
    }

    private static List<Entry> matchName(List<Entry> all, String ref) {
        ImageRef q = ImageRef.isValid(ref) ? ImageRef.parse(ref) : null;
        List<Entry> out = new ArrayList<>();
        for (Entry e : all) {
            if (e.name() == null) {
                continue;
            }
            if (e.name().equals(ref)) {
                out.add(0, e);
                continue;
            }
            if (q != null && ImageRef.isValid(e.name())) {
                ImageRef n = ImageRef.parse(e.name());
                if (q.digest() != null) {
                    if (n.repository().equals(q.repository()) && q.digest().equals(e.digest())
                            && (q.tag() == null || q.tag().equals(n.tag()))) {
                        out.add(e);
                    }
                } else if (n.repository().equals(q.repository()) && q.tag().equals(n.tag())) {
                    out.add(e);
                }
            }
        }
        return out;
    }

    private static List<Entry> matchDigest(List<Entry> all, String ref) {
        String digest = null;
        if (ImageRef.isValid(ref) && ImageRef.parse(ref).digest() != null && !HEX_PREFIX.matcher(ref).matches()) {
            digest = ImageRef.parse(ref).digest();
            String d = digest;
            return all.stream().filter(e -> e.digest().equals(d)).toList();
        }
        if (HEX_PREFIX.matcher(ref).matches()) {
            String prefix = ref.startsWith("sha256:") ? ref : "sha256:" + ref;
            return all.stream().filter(e -> e.digest().startsWith(prefix)).toList();
        }
        return List.of();
    }

    public Path blobPath(String digest) {
        return root.resolve("blobs").resolve("sha256").resolve(Digests.hex(digest));
    }

    public boolean hasBlob(String digest) {
        return Files.isRegularFile(blobPath(digest));
    }

    /** A blob's bytes, checked against its digest and {@code maxSize}. */
    public byte[] readBlob(String digest, long maxSize) {
        Path p = blobPath(digest);
        try {
            if (Files.size(p) > maxSize) {
                throw new BeeException(ErrorKind.INPUT, "blob " + digest + " in " + root + " is larger than "
                        + maxSize + " bytes");
            }
            byte[] data = Files.readAllBytes(p);
            String actual = Digests.sha256(data);
            if (!actual.equals(digest)) {
                throw new BeeException(ErrorKind.INPUT, "blob " + digest + " in " + root + " is corrupt (its content has digest "
                        + actual + ")", "remove the image with 'bee rmi' and pull or build it again");
            }
            return data;
        } catch (NoSuchFileException e) {
            throw new BeeException(ErrorKind.INPUT, "blob " + digest + " is missing from " + root,
                    "remove the image with 'bee rmi' and pull or build it again");
        } catch (IOException e) {
            throw new BeeException(ErrorKind.INPUT, "cannot read blob " + digest + ": " + e.getMessage(), null, e);
        }
    }

    /** The image {@code ref} names, read and checked (an index picks this machine's platform). */
    public LocalImage open(String ref) {
        return open(resolve(ref));
    }

    public LocalImage open(Entry e) {
        String label = e.name() != null ? e.name() : Digests.shortForm(e.digest());
        byte[] raw = readBlob(e.digest(), Digests.MAX_DOCUMENT);
        Descriptor desc = e.descriptor();
        if (ImageManifest.isIndex(raw, desc.mediaType(), label)) {
            Descriptor chosen = ImageManifest.selectPlatform(ImageManifest.indexEntries(raw, label), Platform.host(), label);
            raw = readBlob(chosen.digest(), Digests.MAX_DOCUMENT);
            desc = chosen;
        }
        ImageManifest m = ImageManifest.parse(raw, label);
        byte[] config = readBlob(m.config().digest(), Digests.MAX_DOCUMENT);
        ImageKind kind = ImageFormats.kind(m, config, label);
        return new LocalImage(e.name(), desc, m, config, kind, kind == ImageKind.BEE ? ImageConfig.parse(config) : null);
    }

    /** The ELF object of image {@code ref} (for {@code bee run REF}); see {@link ImageFormats#program}. */
    public byte[] objectBytes(String ref) {
        return objectBytes(open(ref));
    }

    public byte[] objectBytes(LocalImage image) {
        String label = image.name() != null ? image.name() : Digests.shortForm(image.digest());
        return ImageFormats.program(image.manifest(), image.kind(), image.config(),
                d -> readBlob(d.digest(), Digests.MAX_LAYER), label);
    }

    /** Every named image, in index order (unnamed entries, such as manifests of an index, left out). */
    public List<Entry> namedEntries() {
        return entries().stream().filter(e -> e.name() != null).toList();
    }

    // ---- writing ----

    /** Starts a write: blobs go to a private staging folder until {@link Staging#commit}. */
    public Staging stage() {
        return new Staging();
    }

    /** Gives image {@code src} the additional name {@code dst} (replacing what {@code dst} named). */
    public Entry tag(String src, String dst) {
        String name = ImageRef.parse(dst).familiar();
        return locked(() -> {
            Entry e = resolve(src);
            if (ImageRef.parse(dst).digest() != null) {
                throw new BeeException(ErrorKind.USAGE, "cannot tag with a digest: " + dst, "use NAME:TAG");
            }
            writeIndex(name, e.descriptor());
            return new Entry(name, e.descriptor());
        });
    }

    /**
     * Removes {@code ref}: one name, or with a digest every name of that image; then deletes the blobs
     * no remaining image uses. Returns the names removed.
     */
    public List<String> remove(String ref) {
        return locked(() -> {
            sweepStaging();
            List<Entry> all = entries();
            List<Entry> byName = matchName(all, ref);
            List<Entry> victims;
            boolean byDigestQuery = !byName.isEmpty() && ImageRef.isValid(ref) && ImageRef.parse(ref).digest() != null;
            if (!byName.isEmpty() && !byDigestQuery) {
                victims = List.of(byName.get(0));
            } else {
                Entry target = byName.isEmpty() ? resolve(ref) : byName.get(0);
                victims = all.stream().filter(x -> x.digest().equals(target.digest())).toList();
            }
            List<Object> kept = new ArrayList<>();
            List<String> removed = new ArrayList<>();
            for (Object n : indexManifests()) {
                Descriptor d = Descriptor.parse(n, "index.json");
                String name = d.annotations().get(MediaTypes.REF_NAME);
                boolean victim = victims.stream().anyMatch(v -> v.digest().equals(d.digest())
                        && java.util.Objects.equals(v.name(), name));
                if (victim) {
                    removed.add(name != null ? name : d.digest());
                } else {
                    kept.add(n);
                }
            }
            saveIndex(kept);
            collectGarbage();
            return removed;
        });
    }

    private void writeIndex(String name, Descriptor manifest) throws IOException {
        initLayout();
        List<Object> kept = new ArrayList<>();
        for (Object n : indexManifests()) {
            if (!name.equals(JsonTree.text(JsonTree.get(JsonTree.get(n, "annotations"), MediaTypes.REF_NAME), null))) {
                kept.add(n);
            }
        }
        Map<String, String> annotations = new LinkedHashMap<>(manifest.annotations());
        annotations.put(MediaTypes.REF_NAME, name);
        kept.add(manifest.withAnnotations(annotations).toJson());
        saveIndex(kept);
    }

    private void saveIndex(List<Object> manifests) throws IOException {
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("schemaVersion", 2);
        index.put("mediaType", MediaTypes.OCI_INDEX);
        index.put("manifests", manifests);
        AtomicFiles.write(root.resolve("index.json"), JsonTree.write(index));
    }

    private void initLayout() throws IOException {
        Files.createDirectories(root.resolve("blobs").resolve("sha256"));
        Path layout = root.resolve("oci-layout");
        if (!Files.isRegularFile(layout)) {
            AtomicFiles.write(layout, "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
        }
        if (!Files.isRegularFile(root.resolve("index.json"))) {
            saveIndex(new ArrayList<>());
        }
    }

    /**
     * Deletes staging folders whose process has ended (a pull killed before it could clean up). Runs under
     * the lock; a folder of a live process, or one not named by bee, is left alone.
     */
    private void sweepStaging() throws IOException {
        Path parent = root.resolve(STAGING);
        if (!Files.isDirectory(parent)) {
            return;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(parent, "pull-*")) {
            for (Path d : ds) {
                String[] parts = d.getFileName().toString().split("-");
                long pid;
                try {
                    pid = parts.length >= 3 ? Long.parseLong(parts[1]) : -1;
                } catch (NumberFormatException e) {
                    continue;
                }
                if (pid > 0 && ProcessHandle.of(pid).isEmpty()) {
                    deleteTree(d);
                }
            }
        }
    }

    /**
     * {@link #sweepStaging} for commands that only read (list, describe, run REF...): without the lock,
     * which a dead process's folder does not need, and quietly (a read-only store is still readable).
     */
    private void sweepStaleStaging() {
        try {
            sweepStaging();
        } catch (IOException | java.io.UncheckedIOException e) {
            // best effort: a leftover is hidden and ignored by readers, and the next command tries again
        }
    }

    /** As {@link #deleteTree}, for a shutdown hook: a few tries, as the interrupted pull may still add a file. */
    private static void deleteQuietly(Path dir) {
        for (int i = 0; i < 3 && Files.exists(dir); i++) {
            try {
                deleteTree(dir);
            } catch (IOException | java.io.UncheckedIOException e) {
                // again
            }
        }
    }

    /** Deletes a staging folder and what is in it. */
    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Deletes blobs that no entry of index.json reaches. Runs under the lock. */
    private void collectGarbage() throws IOException {
        Set<String> live = new HashSet<>();
        for (Entry e : entries()) {
            mark(e.digest(), live, 0);
        }
        Path dir = root.resolve("blobs").resolve("sha256");
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (name.matches("[0-9a-f]{64}") && !live.contains("sha256:" + name)) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private void mark(String digest, Set<String> live, int depth) {
        if (!live.add(digest) || depth > 4 || !hasBlob(digest)) {
            return;
        }
        try {
            byte[] raw = Files.readAllBytes(blobPath(digest));
            if (raw.length > Digests.MAX_DOCUMENT || raw.length == 0 || raw[0] != '{') {
                return;
            }
            Object n = JsonTree.parse(raw);
            for (Object m : elements(JsonTree.get(n, "manifests"))) {
                String d = JsonTree.text(JsonTree.get(m, "digest"), null);
                if (Digests.isSha256(d)) {
                    mark(d, live, depth + 1);
                }
            }
            String config = JsonTree.text(JsonTree.get(JsonTree.get(n, "config"), "digest"), null);
            if (Digests.isSha256(config)) {
                live.add(config);
            }
            for (Object l : elements(JsonTree.get(n, "layers"))) {
                String d = JsonTree.text(JsonTree.get(l, "digest"), null);
                if (Digests.isSha256(d)) {
                    live.add(d);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not a JSON document: a layer or config, already marked
        }
    }

    /** The elements of a JSON array, or of an object's values (as iterating a {@code JsonNode} gives them). */
    private static java.util.Collection<Object> elements(Object v) {
        if (v instanceof List<?>) {
            return JsonTree.array(v);
        }
        Map<String, Object> m = JsonTree.object(v);
        return m != null ? m.values() : List.of();
    }

    interface IoAction<T> {
        T run() throws IOException;
    }

    /** Runs {@code action} holding the store's lock (a thread lock in this JVM, a file lock across processes). */
    <T> T locked(IoAction<T> action) {
        ReentrantLock lock = LOCKS.computeIfAbsent(root, k -> new ReentrantLock());
        lock.lock();
        try {
            Files.createDirectories(root);
            try (FileChannel ch = FileChannel.open(root.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock ignored = ch.lock()) {
                return action.run();
            }
        } catch (IOException e) {
            throw WriteError.of(root, e, "choose another store with --storage DIR or BEE_STORAGE");
        } finally {
            lock.unlock();
        }
    }

    /**
     * Blobs of one image on their way into the store. Each is verified against its digest as it is
     * written; {@link #commit} moves them into {@code blobs/} and names the manifest in
     * {@code index.json}; {@link #close} without a commit leaves the store as it was.
     */
    public final class Staging implements AutoCloseable {
        private final boolean storeExisted = Files.exists(root);
        private Path dir;
        private final Map<String, Path> staged = new LinkedHashMap<>();

        /** Deletes the folder when the JVM ends before {@link #close} (SIGINT, SIGTERM, System.exit). */
        private Thread hook;

        private Path dir() throws IOException {
            if (dir == null) {
                Path parent = root.resolve(STAGING);
                Files.createDirectories(parent);
                // The pid in the name lets a later command tell an abandoned folder from a live one.
                dir = Files.createTempDirectory(parent, "pull-" + ProcessHandle.current().pid() + "-");
                Path d = dir;
                hook = new Thread(() -> deleteQuietly(d), "bee-staging-cleanup");
                Runtime.getRuntime().addShutdownHook(hook);
            }
            return dir;
        }

        /**
         * Whether the blob is staged, or in the store and now held for this image: a hard link in the
         * staging folder keeps a stored blob's bytes even if a concurrent {@code rmi} collects it before
         * this image is committed (commit moves it back). False when it is neither, or was just collected.
         */
        public boolean has(String digest) {
            if (staged.containsKey(digest)) {
                return true;
            }
            if (!hasBlob(digest)) {
                return false;
            }
            try {
                Path p = dir().resolve(Digests.hex(digest));
                Files.deleteIfExists(p);
                Files.createLink(p, blobPath(digest));
                staged.put(digest, p);
                return true;
            } catch (java.nio.file.NoSuchFileException e) {
                return false; // collected between the check and the link: stage it anew
            } catch (IOException | UnsupportedOperationException e) {
                throw e instanceof IOException io ? writeError(io) : new BeeException(ErrorKind.ENVIRONMENT,
                        "the image store " + root + " is on a file system without hard links",
                        "choose another with --storage DIR or BEE_STORAGE");
            }
        }

        /** Stages bytes; returns their digest. */
        public String put(byte[] data) {
            String digest = Digests.sha256(data);
            if (has(digest)) {
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
                return readBlob(digest, max);
            }
            try {
                return Files.readAllBytes(p);
            } catch (IOException e) {
                throw writeError(e);
            }
        }

        /** Moves the staged blobs into the store and names {@code manifest} {@code name} (null: no name). */
        public Entry commit(String name, Descriptor manifest) {
            return locked(() -> {
                sweepStaging();
                // Checked before anything is written, so a refused commit leaves the store as it was.
                if (!staged.containsKey(manifest.digest()) && !hasBlob(manifest.digest())) {
                    throw new BeeException(ErrorKind.INTERNAL, "manifest " + manifest.digest() + " was not staged");
                }
                initLayout();
                for (Map.Entry<String, Path> b : staged.entrySet()) {
                    Path target = blobPath(b.getKey());
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
                Set<String> reached = new HashSet<>();
                mark(manifest.digest(), reached, 0);
                List<String> missing = reached.stream().filter(d -> !hasBlob(d)).sorted().toList();
                if (!missing.isEmpty()) {
                    throw new BeeException(ErrorKind.INPUT, "the image " + manifest.digest() + " is incomplete: "
                            + missing.size() + " of its blobs are missing (" + missing.get(0) + ")",
                            "run the command again; nothing was named");
                }
                if (name != null) {
                    writeIndex(name, manifest);
                }
                return new Entry(name, manifest);
            });
        }

        private BeeException writeError(IOException e) {
            return WriteError.of(root, e, "choose another store with --storage DIR or BEE_STORAGE");
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
                    deleteTree(dir);
                }
                if (!storeExisted && Files.isDirectory(root) && !Files.exists(root.resolve("index.json"))) {
                    // A first write that failed: leave no folder behind.
                    Files.deleteIfExists(root.resolve(STAGING));
                    Files.deleteIfExists(root.resolve(LOCK_FILE));
                    Files.deleteIfExists(root.resolve("blobs").resolve("sha256"));
                    Files.deleteIfExists(root.resolve("blobs"));
                    Files.deleteIfExists(root);
                }
            } catch (IOException e) {
                // best effort: a leftover staging folder is hidden and ignored by readers
            }
        }
    }
}
