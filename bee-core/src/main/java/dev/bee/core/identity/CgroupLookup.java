package dev.bee.core.identity;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The identity of a process id or a cgroup id, from the kernel's files: {@code /proc/PID/cgroup} for a pid;
 * for a cgroup id ({@code bpf_get_current_cgroup_id}, the inode number of the cgroup's folder on the
 * cgroup v2 file system) a walk of that file system. Both are cached in bounded LRU maps whose entries
 * expire (a pid is reused, a cgroup removed); a missing pid or cgroup is cached as no container too. The
 * walk is bounded in folders and depth and done at most once a second. One thread (the watcher's).
 */
public final class CgroupLookup {
    static final int MAX_ENTRIES = 8192;
    static final long TTL_NANOS = 10_000_000_000L;
    static final long RESCAN_NANOS = 1_000_000_000L;
    static final int MAX_FOLDERS = 200_000;
    static final int MAX_DEPTH = 32;
    private static final int MAX_CGROUP_FILE = 64 * 1024;

    private record Entry(ContainerIdentity identity, long at) {
    }

    private final Path proc;
    private final Path cgroup2;
    private final LongSupplier clock;
    private final Map<Long, Entry> byPid = lru();
    private final Map<Long, Entry> byCgroup = lru();
    private Map<Long, String> cgroupPaths = Map.of();
    private long lastScan = Long.MIN_VALUE;
    private long lookups;

    /**
     * @param proc    the proc file system ({@code /proc})
     * @param cgroup2 the cgroup v2 mount ({@code /sys/fs/cgroup}, or {@code /sys/fs/cgroup/unified} on a
     *                hybrid host), or null when there is none
     */
    public CgroupLookup(Path proc, Path cgroup2, LongSupplier clock) {
        this.proc = proc;
        this.cgroup2 = cgroup2;
        this.clock = clock;
    }

    /** The lookup of this host: {@code /proc}, and the cgroup v2 mount where there is one. */
    public static CgroupLookup host() {
        Path unified = Path.of("/sys/fs/cgroup/unified");
        Path root = Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers")) ? Path.of("/sys/fs/cgroup")
                : Files.isDirectory(unified) ? unified : null;
        return new CgroupLookup(Path.of("/proc"), root, System::nanoTime);
    }

    /** The identity of process (thread group) {@code pid}. */
    public ContainerIdentity ofPid(long pid) {
        long now = clock.getAsLong();
        Entry e = byPid.get(pid);
        if (e != null && now - e.at() < TTL_NANOS) {
            return e.identity();
        }
        ContainerIdentity id = pid <= 0 ? ContainerIdentity.NONE : readPid(pid);
        byPid.put(pid, new Entry(id, now));
        return id;
    }

    /** The identity of the cgroup with id {@code id} on the cgroup v2 file system. */
    public ContainerIdentity ofCgroupId(long id) {
        long now = clock.getAsLong();
        Entry e = byCgroup.get(id);
        if (e != null && now - e.at() < TTL_NANOS) {
            return e.identity();
        }
        String path = cgroupPaths.get(id);
        if (path == null && cgroup2 != null && (lastScan == Long.MIN_VALUE || now - lastScan >= RESCAN_NANOS)) {
            lastScan = now;
            cgroupPaths = scan(cgroup2);
            path = cgroupPaths.get(id);
        }
        ContainerIdentity identity = path == null ? ContainerIdentity.NONE : CgroupPaths.parse(path);
        byCgroup.put(id, new Entry(identity, now));
        return identity;
    }

    /** Files read so far (for tests: the cache works). */
    long lookups() {
        return lookups;
    }

    private ContainerIdentity readPid(long pid) {
        lookups++;
        try (InputStream in = Files.newInputStream(proc.resolve(Long.toString(pid)).resolve("cgroup"))) {
            byte[] b = in.readNBytes(MAX_CGROUP_FILE);
            return CgroupPaths.parseProcCgroup(new String(b, StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            return ContainerIdentity.NONE; // the process is gone (or never was): no container
        }
    }

    /** Folder inode number to cgroup path, breadth first, bounded in folders and depth. */
    static Map<Long, String> scan(Path root) {
        Map<Long, String> out = new HashMap<>();
        Deque<Path> queue = new ArrayDeque<>();
        queue.add(root);
        while (!queue.isEmpty() && out.size() < MAX_FOLDERS) {
            Path dir = queue.poll();
            try {
                // a cgroup's id is its folder's inode number on the cgroup2 file system
                Object ino = Files.getAttribute(dir, "unix:ino");
                if (ino instanceof Long n) {
                    out.put(n, "/" + root.relativize(dir));
                }
                if (root.relativize(dir).getNameCount() >= MAX_DEPTH) {
                    continue;
                }
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, Files::isDirectory)) {
                    for (Path p : ds) {
                        if (!Files.isSymbolicLink(p)) {
                            queue.add(p);
                        }
                    }
                }
            } catch (IOException | RuntimeException e) {
                // a cgroup removed while walking: skip it
            }
        }
        return out;
    }

    private static <V> Map<Long, V> lru() {
        return new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, V> eldest) {
                return size() > MAX_ENTRIES;
            }
        };
    }
}
