package dev.bee.core.identity;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The container list as the Docker Engine API documents it (podman's answer is checked in PodmanIdentityIT). */
class DockerApiTest {
    private static final String ID = "8dfafdbc3a40d8ef1d8ac7cd9d6d3e0f2c1b0a9f8e7d6c5b4a3928170615243f";

    @Test
    void namesImagesAndKubernetesLabels() throws IOException {
        String json = """
                [{"Id":"%s","Names":["/boring_feynman"],"Image":"ubuntu:latest","ImageID":"sha256:d74508fb6632",
                  "Command":"echo 1","Created":1367854155,"State":"Exited","Status":"Exit 0","Ports":[],
                  "Labels":{"com.example.vendor":"Acme"}},
                 {"Id":"%s","Names":["/k8s_nginx_web-0_shop_1f2e_0"],"Image":"nginx",
                  "Labels":{"io.kubernetes.pod.namespace":"shop","io.kubernetes.pod.name":"web-0",
                            "io.kubernetes.container.name":"nginx"}},
                 {"Names":["/no-id"]}]
                """.formatted(ID, ID.replace('8', '9'));
        Map<String, ContainerName> c = DockerApi.parse(json.getBytes(StandardCharsets.UTF_8));
        assertEquals(2, c.size());
        assertEquals(new ContainerName("boring_feynman", "ubuntu:latest", "", ""), c.get(ID));
        ContainerName k = c.get(ID.replace('8', '9'));
        assertEquals("shop", k.podNamespace());
        assertEquals("web-0", k.podName());
    }

    @Test
    void notAListIsAnError() {
        assertThrows(IOException.class, () -> DockerApi.parse("{\"message\":\"page not found\"}".getBytes(StandardCharsets.UTF_8)));
        assertThrows(IOException.class, () -> DockerApi.parse("[{".getBytes(StandardCharsets.UTF_8)));
    }
}
