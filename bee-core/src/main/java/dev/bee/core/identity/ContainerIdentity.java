package dev.bee.core.identity;

/**
 * What a cgroup path says about the process in it: the container's id and runtime, and in Kubernetes the
 * pod's uid and QoS class. Fields the path does not give are empty strings, never null.
 *
 * @param cgroupPath the cgroup path the identity was read from
 * @param runtime    docker, containerd, cri-containerd, cri-o, podman, or empty
 * @param containerId the full container id, or empty
 * @param podUid     the Kubernetes pod uid (dashed), or empty
 * @param qos        guaranteed, burstable, besteffort, or empty
 */
public record ContainerIdentity(String cgroupPath, String runtime, String containerId, String podUid, String qos) {
    /** A process in no container (a host process, or one whose cgroup is unknown). */
    public static final ContainerIdentity NONE = new ContainerIdentity("", "", "", "", "");

    public boolean inContainer() {
        return !containerId.isEmpty();
    }

    /** The id as container tools show it: its first 12 characters. */
    public String shortId() {
        return containerId.length() > 12 ? containerId.substring(0, 12) : containerId;
    }
}
