package dev.bee.core.identity;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bee.core.io.Json;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The Docker Engine API's container list ({@code GET /containers/json?all=true}) on a unix socket: docker's
 * {@code /var/run/docker.sock}, or podman's compatible service ({@code podman system service},
 * {@code /run/podman/podman.sock}). Names lose the leading {@code /}; the pod comes from the labels
 * kubelet's dockershim and cri-dockerd set ({@code io.kubernetes.pod.namespace}, {@code io.kubernetes.pod.name}).
 */
public final class DockerApi implements RuntimeNames.Source {
    /** Sockets tried in order when none is given. */
    public static final Path[] DEFAULT_SOCKETS = {Path.of("/var/run/docker.sock"), Path.of("/run/podman/podman.sock")};
    private static final int MAX_ANSWER = 16 * 1024 * 1024;
    private static final int MAX_CONTAINERS = 100_000;

    private final UnixSocketHttp http;

    public DockerApi(Path socket, Duration timeout) {
        this.http = new UnixSocketHttp(socket, timeout, MAX_ANSWER);
    }

    @Override
    public String describe() {
        return "the container API at " + http.socket();
    }

    @Override
    public Map<String, ContainerName> containers() throws IOException {
        UnixSocketHttp.Response r = http.get("/containers/json?all=true");
        if (r.status() != 200) {
            throw new IOException("HTTP " + r.status() + " for /containers/json");
        }
        return parse(r.body());
    }

    /** Container id to name, from the list's JSON. */
    static Map<String, ContainerName> parse(byte[] json) throws IOException {
        JsonNode list = Json.mapper().readTree(json);
        if (list == null || !list.isArray()) {
            throw new IOException("the container list is not a JSON array");
        }
        Map<String, ContainerName> out = new HashMap<>();
        for (JsonNode c : list) {
            if (out.size() >= MAX_CONTAINERS) {
                break;
            }
            String id = c.path("Id").asText("");
            if (id.isEmpty()) {
                continue;
            }
            String name = c.path("Names").path(0).asText("");
            if (name.startsWith("/")) {
                name = name.substring(1);
            }
            JsonNode labels = c.path("Labels");
            out.put(id, new ContainerName(name, c.path("Image").asText(""),
                    labels.path("io.kubernetes.pod.namespace").asText(""), labels.path("io.kubernetes.pod.name").asText("")));
        }
        return out;
    }
}
