package dev.bee.core.identity;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Real cgroup paths of every runtime, as /proc/PID/cgroup shows them on cgroup v1 and v2. */
class CgroupPathsTest {
    private static final String ID = "3f4c6e9a0d1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5";
    private static final String UID = "6b5e3f84-0e6b-4b8f-9a76-0c59c3c1c7d2";
    private static final String UID_ = UID.replace('-', '_');

    private static void assertIdentity(String path, String runtime, String id, String pod, String qos) {
        ContainerIdentity c = CgroupPaths.parse(path);
        assertEquals(runtime, c.runtime(), path);
        assertEquals(id, c.containerId(), path);
        assertEquals(pod, c.podUid(), path);
        assertEquals(qos, c.qos(), path);
    }

    @Test
    void docker() {
        assertIdentity("/system.slice/docker-" + ID + ".scope", "docker", ID, "", "");
        assertIdentity("/docker/" + ID, "docker", ID, "", "");
        // rootless docker under the user's manager
        assertIdentity("/user.slice/user-1000.slice/user@1000.service/docker.service/docker/" + ID, "docker", ID, "", "");
    }

    @Test
    void podman() {
        assertIdentity("/machine.slice/libpod-" + ID + ".scope/container", "podman", ID, "", "");
        assertIdentity("/machine.slice/libpod-" + ID + ".scope", "podman", ID, "", "");
        assertIdentity("/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-" + ID + ".scope/container",
                "podman", ID, "", "");
        assertIdentity("/libpod_parent/libpod-" + ID, "podman", ID, "", "");
        assertIdentity("/libpod_parent/" + ID, "podman", ID, "", "");
        // conmon, the monitor beside the container, is no container
        assertFalse(CgroupPaths.parse("/machine.slice/libpod-conmon-" + ID + ".scope").inContainer());
    }

    @Test
    void containerd() {
        assertIdentity("/default/" + ID, "containerd", ID, "", "");
        assertIdentity("/system.slice/nerdctl-" + ID + ".scope", "containerd", ID, "", "");
        assertIdentity("/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" + UID_
                + ".slice/cri-containerd-" + ID + ".scope", "cri-containerd", ID, UID, "burstable");
    }

    @Test
    void crio() {
        assertIdentity("/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" + UID_ + ".slice/crio-" + ID
                + ".scope", "cri-o", ID, UID, "besteffort");
        assertIdentity("/kubepods/burstable/pod" + UID + "/crio-" + ID, "cri-o", ID, UID, "burstable");
        assertFalse(CgroupPaths.parse("/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" + UID_
                + ".slice/crio-conmon-" + ID + ".scope").inContainer());
    }

    @Test
    void kubernetesCgroupfsDriverAndQos() {
        assertIdentity("/kubepods/besteffort/pod" + UID + "/" + ID, "", ID, UID, "besteffort");
        assertIdentity("/kubepods/burstable/pod" + UID + "/" + ID, "", ID, UID, "burstable");
        assertIdentity("/kubepods/pod" + UID + "/" + ID, "", ID, UID, "guaranteed");
        assertIdentity("/kubepods.slice/kubepods-pod" + UID_ + ".slice/cri-containerd-" + ID + ".scope",
                "cri-containerd", ID, UID, "guaranteed");
        // the pod's own slice: a pod, no container
        assertIdentity("/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" + UID_ + ".slice", "", "", UID,
                "burstable");
    }

    @Test
    void kindNodeInsideDocker() {
        String other = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
        assertIdentity("/system.slice/docker-" + other + ".scope/kubelet.slice/kubelet-kubepods.slice/"
                + "kubelet-kubepods-besteffort.slice/kubelet-kubepods-besteffort-pod" + UID_ + ".slice/cri-containerd-"
                + ID + ".scope", "cri-containerd", ID, UID, "besteffort");
    }

    @Test
    void hostProcessesAreInNoContainer() {
        for (String p : new String[]{"/", "/init.scope", "/system.slice/sshd.service", "/user.slice/user-0.slice/session-3.scope",
                "", "/process_api/84b4662b4fd9d97568be3d8f0a8ee174", "/kubepods/besteffort"}) {
            ContainerIdentity c = CgroupPaths.parse(p);
            assertFalse(c.inContainer(), p);
            assertEquals("", c.podUid(), p);
        }
        // a 64-hex folder under an unknown parent: an id, but no runtime claimed
        assertIdentity("/something/" + ID, "", ID, "", "");
    }

    @Test
    void procCgroupV2() {
        ContainerIdentity c = CgroupPaths.parseProcCgroup("0::/system.slice/docker-" + ID + ".scope\n");
        assertEquals(ID, c.containerId());
        assertEquals("docker", c.runtime());
        assertEquals("/system.slice/docker-" + ID + ".scope", c.cgroupPath());
    }

    @Test
    void procCgroupV1AndHybrid() {
        String v1 = """
                12:hugetlb:/libpod_parent/libpod-%1$s
                11:memory:/libpod_parent/libpod-%1$s
                4:pids:/libpod_parent/libpod-%1$s
                1:name=systemd:/libpod_parent/libpod-%1$s
                0::/
                """.formatted(ID);
        ContainerIdentity c = CgroupPaths.parseProcCgroup(v1);
        assertEquals(ID, c.containerId());
        assertEquals("podman", c.runtime());
        String hybrid = """
                10:hugetlb:/
                9:name=systemd:/user.slice/user-0.slice/session-1.scope
                4:memory:/user.slice/user-0.slice/session-1.scope
                0::/user.slice/user-0.slice/session-1.scope
                """;
        ContainerIdentity h = CgroupPaths.parseProcCgroup(hybrid);
        assertFalse(h.inContainer());
        assertEquals("/user.slice/user-0.slice/session-1.scope", h.cgroupPath());
    }

    @Test
    void hostilePathsAreBounded() {
        String deep = "/a".repeat(100_000) + "/docker-" + ID + ".scope";
        // deeper than any runtime: not read past the bound, and no error
        assertFalse(CgroupPaths.parse(deep).inContainer());
        assertFalse(CgroupPaths.parseProcCgroup("garbage\n:::\n\n0:").inContainer());
    }
}
