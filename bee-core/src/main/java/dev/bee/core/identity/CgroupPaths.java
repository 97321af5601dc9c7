package dev.bee.core.identity;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads container identity from cgroup paths, as the runtimes lay them out on cgroup v1 and v2, with the
 * systemd and the cgroupfs drivers:
 * <ul>
 * <li>docker: {@code /system.slice/docker-ID.scope}, {@code /docker/ID}</li>
 * <li>podman: {@code /machine.slice/libpod-ID.scope[/container]}, {@code /libpod_parent/libpod-ID},
 *     rootless under {@code user@UID.service}</li>
 * <li>containerd: CRI {@code cri-containerd-ID.scope}, nerdctl {@code nerdctl-ID.scope}, plain
 *     {@code /NAMESPACE/ID} in the namespaces {@code default}, {@code k8s.io}, {@code moby}</li>
 * <li>CRI-O: {@code crio-ID.scope}, {@code /kubepods/.../crio-ID}</li>
 * <li>Kubernetes: {@code kubepods[-QOS]-podUID.slice} or {@code /kubepods/QOS/podUID/ID}, with the QoS
 *     class from {@code burstable} or {@code besteffort} (neither: guaranteed)</li>
 * </ul>
 * The last segment that names a container wins (nested runtimes: a kind node inside docker). Conmon's own
 * scopes ({@code libpod-conmon-}, {@code crio-conmon-}) are no container. Pure logic.
 */
public final class CgroupPaths {
    private static final String ID = "([0-9a-f]{64})";
    private static final Pattern SCOPE = Pattern.compile("(docker|libpod|cri-containerd|crio|nerdctl)-" + ID + "(?:\\.scope)?");
    private static final Pattern BARE = Pattern.compile(ID);
    private static final Pattern POD = Pattern.compile(
            "(?:(?:[a-z]+-)?kubepods-(?:(burstable|besteffort)-)?)?pod([0-9a-f]{8}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{12})(?:\\.slice)?");
    /** Deeper paths than any runtime makes are not read further (a hostile or broken path). */
    private static final int MAX_SEGMENTS = 64;

    private CgroupPaths() {
    }

    /** The identity in one cgroup path ({@code /kubepods.slice/...}); {@link ContainerIdentity#NONE}'s fields if none. */
    public static ContainerIdentity parse(String path) {
        if (path == null || path.isEmpty()) {
            return ContainerIdentity.NONE;
        }
        String[] seg = path.split("/", MAX_SEGMENTS + 1);
        int n = Math.min(seg.length, MAX_SEGMENTS);
        String runtime = "";
        String id = "";
        int idAt = -1;
        for (int i = n - 1; i >= 0 && id.isEmpty(); i--) {
            Matcher m = SCOPE.matcher(seg[i]);
            if (m.matches()) {
                runtime = runtimeOf(m.group(1));
                id = m.group(2);
                idAt = i;
            } else if (BARE.matcher(seg[i]).matches() && i > 0) {
                id = seg[i];
                idAt = i;
                runtime = bareRuntime(seg[i - 1]);
            }
        }
        String podUid = "";
        String qos = "";
        boolean kube = false;
        for (int i = 0; i < n && (idAt < 0 || i < idAt); i++) {
            String s = seg[i];
            if (s.equals("kubepods") || s.equals("kubepods.slice") || s.endsWith("-kubepods.slice")) {
                kube = true;
            } else if (kube && (s.equals("burstable") || s.endsWith("kubepods-burstable.slice"))) {
                qos = "burstable";
            } else if (kube && (s.equals("besteffort") || s.endsWith("kubepods-besteffort.slice"))) {
                qos = "besteffort";
            } else if (kube) {
                Matcher m = POD.matcher(s);
                if (m.matches()) {
                    podUid = m.group(2).replace('_', '-');
                    if (m.group(1) != null) {
                        qos = m.group(1);
                    } else if (qos.isEmpty()) {
                        qos = "guaranteed";
                    }
                }
            }
        }
        if (!podUid.isEmpty() && runtime.equals("containerd")) {
            runtime = "cri-containerd";
        }
        if (id.isEmpty() && podUid.isEmpty()) {
            return new ContainerIdentity(path, "", "", "", "");
        }
        return new ContainerIdentity(path, runtime, id, podUid, podUid.isEmpty() ? "" : qos);
    }

    /**
     * The identity of a process from the text of its {@code /proc/PID/cgroup}: the unified ({@code 0::})
     * line when it names a container, else the first v1 line that does, else the unified or systemd path.
     */
    public static ContainerIdentity parseProcCgroup(String text) {
        String fallback = null;
        ContainerIdentity unified = null;
        ContainerIdentity v1 = null;
        int lines = 0;
        for (String line : text.split("\n")) {
            if (++lines > 64) {
                break;
            }
            int a = line.indexOf(':');
            int b = a < 0 ? -1 : line.indexOf(':', a + 1);
            if (b < 0) {
                continue;
            }
            String controllers = line.substring(a + 1, b);
            String path = line.substring(b + 1).strip();
            ContainerIdentity id = parse(path);
            if (line.startsWith("0::")) {
                unified = id;
                if (fallback == null || !path.equals("/")) {
                    fallback = path;
                }
            } else if (v1 == null && !id.containerId().isEmpty()) {
                v1 = id;
            } else if (controllers.equals("name=systemd") && fallback == null) {
                fallback = path;
            }
        }
        if (unified != null && (unified.inContainer() || !unified.podUid().isEmpty())) {
            return unified;
        }
        if (v1 != null) {
            return v1;
        }
        return fallback == null ? ContainerIdentity.NONE : parse(fallback);
    }

    private static String runtimeOf(String prefix) {
        return switch (prefix) {
            case "docker" -> "docker";
            case "libpod" -> "podman";
            case "cri-containerd" -> "cri-containerd";
            case "crio" -> "cri-o";
            case "nerdctl" -> "containerd";
            default -> "";
        };
    }

    /** The runtime of a bare id by its parent folder (cgroupfs driver layouts). */
    private static String bareRuntime(String parent) {
        if (parent.equals("docker")) {
            return "docker";
        }
        if (parent.equals("libpod_parent")) {
            return "podman";
        }
        if (parent.startsWith("pod")) {
            return ""; // kubepods with the cgroupfs driver: the path does not say which CRI runtime
        }
        // containerd's namespaces (nerdctl and ctr with the cgroupfs driver); elsewhere the id alone
        return parent.equals("default") || parent.equals("k8s.io") || parent.equals("moby") ? "containerd" : "";
    }
}
