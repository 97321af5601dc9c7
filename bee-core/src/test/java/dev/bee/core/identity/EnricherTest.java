package dev.bee.core.identity;

import dev.bee.core.sink.MapRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class EnricherTest {
    private static final String ID = "3f4c6e9a0d1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5";
    private static final String ID2 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private static Path proc(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("10"));
        Files.writeString(dir.resolve("10/cgroup"), "0::/machine.slice/libpod-" + ID + ".scope/container\n");
        Files.createDirectories(dir.resolve("20"));
        Files.writeString(dir.resolve("20/cgroup"), "0::/system.slice/docker-" + ID2 + ".scope\n");
        Files.createDirectories(dir.resolve("30"));
        Files.writeString(dir.resolve("30/cgroup"), "0::/user.slice\n");
        return dir;
    }

    /** A runtime whose names are known at once (the resolver's thread is tested by itself). */
    private static RuntimeNames names() throws InterruptedException {
        RuntimeNames n = RuntimeNames.start(new RuntimeNames.Source() {
            @Override
            public Map<String, ContainerName> containers() {
                return Map.of(ID, new ContainerName("web", "busybox", "", ""), ID2, new ContainerName("db", "busybox", "", ""));
            }

            @Override
            public String describe() {
                return "test";
            }
        });
        long end = System.nanoTime() + 5_000_000_000L;
        while (n.of(ID) == null && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        return n;
    }

    private static MapRecord event(long pid) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("pid", pid);
        v.put("comm", "cat");
        return MapRecord.event("print_opens", Instant.EPOCH, v);
    }

    @Test
    void addsContainerFieldsToEvents(@TempDir Path dir) throws Exception {
        IdentityOptions o = IdentityOptions.parse(List.of("container"), null, null, null, null);
        try (Enricher e = new Enricher(o, new CgroupLookup(proc(dir), null, () -> 0), names(), null)) {
            MapRecord r = e.apply(event(10));
            assertEquals(List.of("pid", "comm", "container.id", "container.name", "container.runtime"),
                    List.copyOf(r.value().keySet()));
            assertEquals(ID.substring(0, 12), r.value().get("container.id"));
            assertEquals("web", r.value().get("container.name"));
            assertEquals("podman", r.value().get("container.runtime"));
            // a host process: the same fields, empty
            MapRecord host = e.apply(event(30));
            assertEquals("", host.value().get("container.id"));
            assertEquals(5, host.value().size());
        }
    }

    @Test
    void entriesKeyedByPidGetTheFieldsInTheirKey(@TempDir Path dir) throws Exception {
        IdentityOptions o = IdentityOptions.parse(List.of("pod"), null, null, null, null);
        try (Enricher e = new Enricher(o, new CgroupLookup(proc(dir), null, () -> 0), names(), null)) {
            MapRecord entry = new MapRecord("counter_opens", MapRecord.Kind.ENTRY, Instant.EPOCH, Map.of("tgid", 20L),
                    Map.of("value", 3L));
            MapRecord r = e.apply(entry);
            assertEquals("db", r.key().get("container.name"));
            assertEquals("", r.key().get("pod.namespace"));
            assertEquals(Map.of("value", 3L), r.value());
            MapRecord gone = e.apply(MapRecord.removed("counter_opens", Instant.EPOCH, Map.of("tgid", 20L)));
            assertEquals("db", gone.key().get("container.name"));
        }
    }

    @Test
    void anEntryWaitsAPollForItsContainersName(@TempDir Path dir) throws Exception {
        java.util.concurrent.atomic.AtomicBoolean started = new java.util.concurrent.atomic.AtomicBoolean();
        RuntimeNames n = RuntimeNames.start(new RuntimeNames.Source() {
            @Override
            public Map<String, ContainerName> containers() {
                // the second container starts after bee did
                return started.get() ? Map.of(ID, new ContainerName("web", "", "", ""), ID2, new ContainerName("db", "", "", ""))
                        : Map.of(ID, new ContainerName("web", "", "", ""));
            }

            @Override
            public String describe() {
                return "test";
            }
        });
        IdentityOptions o = IdentityOptions.parse(List.of("container"), null, null, null, null);
        try (Enricher e = new Enricher(o, new CgroupLookup(proc(dir), null, () -> 0), n, null)) {
            MapRecord entry = new MapRecord("counter_opens", MapRecord.Kind.ENTRY, Instant.EPOCH, Map.of("pid", 20L),
                    Map.of("value", 3L));
            // named at once: listed before the first record
            assertEquals("web", e.apply(new MapRecord("counter_opens", MapRecord.Kind.ENTRY, Instant.EPOCH,
                    Map.of("pid", 10L), Map.of("value", 1L))).key().get("container.name"));
            assertNull(e.apply(entry), "held back while its name is fetched");
            started.set(true);
            MapRecord named = null;
            long end = System.nanoTime() + 5_000_000_000L;
            while (named == null && System.nanoTime() < end) {
                Thread.sleep(50);
                named = e.apply(entry);
            }
            assertEquals("db", named.key().get("container.name"));
        }
    }

    @Test
    void filtersByNameOrIdPrefix(@TempDir Path dir) throws Exception {
        CgroupLookup cg = new CgroupLookup(proc(dir), null, () -> 0);
        try (RuntimeNames n = names();
             Enricher byName = new Enricher(IdentityOptions.parse(List.of(), "web", null, null, null), cg, n, null);
             Enricher byId = new Enricher(IdentityOptions.parse(List.of(), ID2.substring(0, 6), null, null, null), cg, n, null)) {
            MapRecord web = event(10);
            // filtering alone adds no fields
            assertSame(web, byName.apply(web));
            assertNull(byName.apply(event(20)));
            assertNull(byName.apply(event(30)));
            assertNull(byId.apply(event(10)));
            MapRecord db = event(20);
            assertSame(db, byId.apply(db));
        }
    }

    @Test
    void theCgroupIdComesFirstAndNestedFieldsCount(@TempDir Path dir) throws Exception {
        Path cg = Files.createDirectories(dir.resolve("cg/system.slice/docker-" + ID2 + ".scope"));
        long ino = (Long) Files.getAttribute(cg, "unix:ino");
        IdentityOptions o = IdentityOptions.parse(List.of("container"), null, null, null, null);
        try (Enricher e = new Enricher(o, new CgroupLookup(proc(dir), dir.resolve("cg"), () -> 0), names(), null)) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("task.pid", 10L); // podman's container by pid
            v.put("task.cgroup_id", ino); // docker's by cgroup: the cgroup wins
            MapRecord r = e.apply(MapRecord.event("print_x", Instant.EPOCH, v));
            assertEquals("db", r.value().get("container.name"));
            assertEquals("docker", r.value().get("container.runtime"));
            Map<String, Object> w = new LinkedHashMap<>();
            w.put("proc.tgid", 10L);
            assertEquals("web", e.apply(MapRecord.event("print_y", Instant.EPOCH, w)).value().get("container.name"));
        }
    }

    @Test
    void recordsWithoutAProcessPass(@TempDir Path dir) throws Exception {
        IdentityOptions o = IdentityOptions.parse(List.of("container"), "web", null, null, null);
        try (Enricher e = new Enricher(o, new CgroupLookup(proc(dir), null, () -> 0), null, null)) {
            MapRecord r = MapRecord.event("print_x", Instant.EPOCH, Map.of("bytes", 5L));
            assertSame(r, e.apply(r));
            MapRecord text = MapRecord.iterator("iter", Instant.EPOCH, "hello");
            assertSame(text, e.apply(text));
        }
    }

    @Test
    void podFilterUsesTheRuntimesPodLabels(@TempDir Path dir) throws Exception {
        RuntimeNames n = RuntimeNames.start(new RuntimeNames.Source() {
            @Override
            public Map<String, ContainerName> containers() {
                return Map.of(ID, new ContainerName("nginx", "nginx", "shop", "web-0"));
            }

            @Override
            public String describe() {
                return "test";
            }
        });
        long end = System.nanoTime() + 5_000_000_000L;
        while (n.of(ID) == null && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        IdentityOptions o = IdentityOptions.parse(List.of("pod"), null, "shop/web-0", null, null);
        try (Enricher e = new Enricher(o, new CgroupLookup(proc(dir), null, () -> 0), n, null)) {
            MapRecord r = e.apply(event(10));
            assertEquals("shop", r.value().get("pod.namespace"));
            assertEquals("web-0", r.value().get("pod.name"));
            assertNull(e.apply(event(20)));
        }
    }
}
