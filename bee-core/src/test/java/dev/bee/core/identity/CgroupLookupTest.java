package dev.bee.core.identity;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CgroupLookupTest {
    private static final String ID = "3f4c6e9a0d1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5";

    @Test
    void pidLookupsAreCachedUntilTheyExpire(@TempDir Path proc) throws IOException {
        Files.createDirectories(proc.resolve("42"));
        Files.writeString(proc.resolve("42/cgroup"), "0::/system.slice/docker-" + ID + ".scope\n");
        AtomicLong now = new AtomicLong();
        CgroupLookup lookup = new CgroupLookup(proc, null, now::get);
        assertEquals(ID, lookup.ofPid(42).containerId());
        assertEquals(ID, lookup.ofPid(42).containerId());
        assertEquals(1, lookup.lookups());
        // the pid is reused by a host process: seen once the entry expires
        Files.writeString(proc.resolve("42/cgroup"), "0::/user.slice\n");
        now.addAndGet(CgroupLookup.TTL_NANOS);
        assertFalse(lookup.ofPid(42).inContainer());
        assertEquals(2, lookup.lookups());
    }

    @Test
    void aGonePidIsNoContainerAndCached(@TempDir Path proc) {
        CgroupLookup lookup = new CgroupLookup(proc, null, () -> 0);
        assertFalse(lookup.ofPid(7).inContainer());
        assertFalse(lookup.ofPid(7).inContainer());
        assertEquals(1, lookup.lookups());
        assertFalse(lookup.ofPid(0).inContainer());
    }

    @Test
    void theCacheIsBounded(@TempDir Path proc) {
        CgroupLookup lookup = new CgroupLookup(proc, null, () -> 0);
        for (int pid = 1; pid <= CgroupLookup.MAX_ENTRIES + 10; pid++) {
            lookup.ofPid(pid);
        }
        long before = lookup.lookups();
        lookup.ofPid(1); // evicted: read again
        assertEquals(before + 1, lookup.lookups());
    }

    @Test
    void cgroupIdsAreInodesOfTheWalkedTree(@TempDir Path root) throws IOException {
        Path scope = Files.createDirectories(root.resolve("machine.slice/libpod-" + ID + ".scope/container"));
        long ino = (Long) Files.getAttribute(scope, "unix:ino");
        AtomicLong now = new AtomicLong(5);
        CgroupLookup lookup = new CgroupLookup(root, root, now::get);
        ContainerIdentity c = lookup.ofCgroupId(ino);
        assertEquals(ID, c.containerId());
        assertEquals("podman", c.runtime());
        assertEquals("/machine.slice/libpod-" + ID + ".scope/container", c.cgroupPath());
        // a cgroup made after the walk is found by the next walk, at most once a second
        Path later = Files.createDirectories(root.resolve("system.slice/docker-" + ID + ".scope"));
        long laterIno = (Long) Files.getAttribute(later, "unix:ino");
        assertFalse(lookup.ofCgroupId(laterIno).inContainer());
        now.addAndGet(CgroupLookup.TTL_NANOS);
        assertEquals("docker", lookup.ofCgroupId(laterIno).runtime());
    }

    @Test
    void theWalkIsBoundedInDepth(@TempDir Path root) throws IOException {
        Path deep = root;
        for (int i = 0; i < CgroupLookup.MAX_DEPTH + 5; i++) {
            deep = deep.resolve("d");
        }
        Files.createDirectories(deep);
        Map<Long, String> seen = CgroupLookup.scan(root);
        assertEquals(CgroupLookup.MAX_DEPTH + 1, seen.size());
        assertTrue(seen.containsValue("/"));
    }

    @Test
    void thisHostsOwnProcess() {
        ContainerIdentity self = CgroupLookup.host().ofPid(ProcessHandle.current().pid());
        assertFalse(self.cgroupPath().isEmpty());
    }
}
