package dev.bee.core.identity;

import dev.bee.core.sink.MapRecord;
import dev.bee.core.sink.RecordStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Collectors;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The enrichment stage: for a record with a cgroup id or a process id field, finds the container (from
 * the kernel's cgroup files, cached) and its names (from the runtime's API or the pod watcher, resolved on
 * their own threads), adds them as fields and applies {@code --container}, {@code --pod} and
 * {@code --namespace}. The source field is found once per map: in the key first (an entry keyed by pid),
 * else the value; {@code cgroup_id} (also {@code cgroupid}, {@code cgid}) before {@code tgid} before
 * {@code pid}, a nested field by its last part ({@code task.tgid}). Every record of a map gets the same added fields (empty where unknown), so metric label
 * sets stay the same. Records of maps with no such field pass unchanged, said once per map. Watcher thread only.
 */
public final class Enricher implements RecordStage, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Enricher.class);

    private enum Kind { PID, CGROUP }

    /** Where a map's records carry what identifies their process. */
    private record Source(boolean inKey, String field, Kind kind) {
    }

    private static final Source NO_SOURCE = new Source(false, null, null);

    private final IdentityOptions options;
    private final CgroupLookup cgroups;
    private final RuntimeNames runtimeNames;
    private final PodWatcher pods;
    private final Map<String, Source> sources = new HashMap<>();
    /** Containers whose entries wait for their name, since when. */
    private final Map<String, Long> waiting = new HashMap<>();
    static final long NAME_WAIT_NANOS = 3_000_000_000L;

    /** @param runtimeNames container names from a runtime's API, or null; @param pods the pod watcher, or null */
    public Enricher(IdentityOptions options, CgroupLookup cgroups, RuntimeNames runtimeNames, PodWatcher pods) {
        this.options = options;
        this.cgroups = cgroups;
        this.runtimeNames = runtimeNames;
        this.pods = pods;
    }

    /**
     * The stage for {@code options} on this host: cgroup files, the runtime's API socket when there is one,
     * and with pods asked for, the pod watcher when bee runs in a pod. What is missing is said once here;
     * it is never an error (ids without names).
     */
    public static Enricher start(IdentityOptions options) {
        Path socket = options.socket();
        if (socket == null) {
            socket = Arrays.stream(DockerApi.DEFAULT_SOCKETS).filter(Files::exists).findFirst().orElse(null);
        }
        RuntimeNames names = null;
        if (socket != null) {
            names = RuntimeNames.start(new DockerApi(socket, Duration.ofSeconds(5)));
        } else if (!options.needsPods() || System.getenv("KUBERNETES_SERVICE_HOST") == null) {
            LOG.warn("no container API socket ({}; --runtime-socket PATH gives one): records carry container ids "
                    + "without names", Arrays.stream(DockerApi.DEFAULT_SOCKETS).map(Path::toString)
                    .collect(Collectors.joining(", ")));
        }
        PodWatcher pods = null;
        if (options.needsPods()) {
            try {
                pods = PodWatcher.inCluster();
            } catch (IOException e) {
                LOG.warn("no pod names: {}; pods are known by their uid from cgroups only", e.getMessage());
            }
        }
        return new Enricher(options, CgroupLookup.host(), names, pods);
    }

    @Override
    public MapRecord apply(MapRecord r) {
        if (r.kind() == MapRecord.Kind.ITER) {
            return r;
        }
        Source src = sources.get(r.map());
        if (src == null) {
            src = findSource(r);
            if (src == NO_SOURCE && r.kind() == MapRecord.Kind.REMOVED) {
                return r; // a key alone may not say; decide on an entry with its value
            }
            sources.put(r.map(), src);
            if (src == NO_SOURCE) {
                LOG.warn("{}: no cgroup_id, tgid or pid field: its records carry no container and pass the "
                        + "container filters", r.map());
            }
        }
        if (src == NO_SOURCE) {
            return r;
        }
        Object v = src.inKey() ? r.key().get(src.field()) : r.value().get(src.field());
        long n = number(v);
        ContainerIdentity id = n < 0 ? ContainerIdentity.NONE
                : src.kind() == Kind.CGROUP ? cgroups.ofCgroupId(n) : cgroups.ofPid(n);
        ContainerName names = names(id);
        if (names == null && holdBack(r, id)) {
            return null;
        }
        if (!accepts(id, names)) {
            return null;
        }
        if (!options.containers()) {
            return r;
        }
        Map<String, Object> target = new LinkedHashMap<>(src.inKey() ? r.key() : r.value());
        target.put("container.id", id.shortId());
        target.put("container.name", names == null ? "" : names.name());
        target.put("container.runtime", id.runtime());
        if (options.pods()) {
            PodWatcher.Pod pod = pods == null || id.podUid().isEmpty() ? null : pods.pod(id.podUid());
            target.put("pod.namespace", pod != null ? pod.namespace() : names == null ? "" : names.podNamespace());
            target.put("pod.name", pod != null ? pod.name() : names == null ? "" : names.podName());
        }
        return src.inKey() ? new MapRecord(r.map(), r.kind(), r.time(), target, r.value())
                : new MapRecord(r.map(), r.kind(), r.time(), r.key(), target);
    }

    /**
     * Whether to skip this poll's entry of a container whose name is still being fetched: a polled entry
     * carries the map's whole value, so the next poll loses nothing, and its metric series starts with
     * the name instead of a nameless twin. Up to {@link #NAME_WAIT_NANOS} per container.
     */
    private boolean holdBack(MapRecord r, ContainerIdentity id) {
        if (r.kind() != MapRecord.Kind.ENTRY || !id.inContainer() || runtimeNames == null || !runtimeNames.reachedOnce()) {
            return false;
        }
        long now = System.nanoTime();
        if (waiting.size() >= 4096) {
            waiting.clear();
        }
        long since = waiting.computeIfAbsent(id.containerId(), k -> now);
        return now - since < NAME_WAIT_NANOS;
    }

    private ContainerName names(ContainerIdentity id) {
        if (!id.inContainer()) {
            return null;
        }
        ContainerName n = pods == null ? null : pods.container(id.containerId());
        if (n == null && runtimeNames != null) {
            n = runtimeNames.of(id.containerId());
        }
        return n;
    }

    private boolean accepts(ContainerIdentity id, ContainerName names) {
        String c = options.container();
        if (c != null && !(id.inContainer() && (names != null && c.equals(names.name())
                || c.length() >= 4 && id.containerId().startsWith(c)))) {
            return false;
        }
        if (options.podNamespace() != null) {
            PodWatcher.Pod pod = pods == null || id.podUid().isEmpty() ? null : pods.pod(id.podUid());
            String ns = pod != null ? pod.namespace() : names == null ? "" : names.podNamespace();
            String name = pod != null ? pod.name() : names == null ? "" : names.podName();
            return ns.equals(options.podNamespace()) && (options.podName() == null || name.equals(options.podName()));
        }
        return true;
    }

    /** The names that identify a process, best first; a nested field counts by its last part ({@code task.tgid}). */
    private static final String[][] SOURCE_NAMES = {{"cgroup_id", "cgroupid", "cgid"}, {"tgid"}, {"pid"}};

    private static Source findSource(MapRecord r) {
        for (boolean inKey : new boolean[]{true, false}) {
            Map<String, Object> f = inKey ? r.key() : r.value();
            for (String[] names : SOURCE_NAMES) {
                for (Map.Entry<String, Object> e : f.entrySet()) {
                    String field = e.getKey();
                    String last = field.substring(field.lastIndexOf('.') + 1);
                    if (Arrays.asList(names).contains(last) && number(e.getValue()) >= 0) {
                        return new Source(inKey, field, names == SOURCE_NAMES[0] ? Kind.CGROUP : Kind.PID);
                    }
                }
            }
        }
        return NO_SOURCE;
    }

    private static long number(Object v) {
        if (v instanceof Long l) {
            return l;
        }
        if (v instanceof Integer i) {
            return i;
        }
        if (v instanceof BigInteger b && b.bitLength() < 64) {
            return b.longValue();
        }
        return -1;
    }

    @Override
    public void close() {
        if (runtimeNames != null) {
            runtimeNames.close();
        }
        if (pods != null) {
            pods.close();
        }
    }
}
