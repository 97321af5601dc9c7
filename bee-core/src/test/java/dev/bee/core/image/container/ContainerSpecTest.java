package dev.bee.core.image.container;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ContainerSpecTest {
    private static final BeeCode JAR = new BeeCode(
            List.of(new BeeCode.FileCopy(Path.of("/x/bee.jar"), "/opt/bee/bee.jar", BeeCode.BEE_LAYER)),
            List.of("-jar", "/opt/bee/bee.jar"));

    @Test
    void theEntrypointIsBeeRunNoTtyRefAndTheBakedFlags() {
        ContainerSpec s = ContainerSpec.of(JAR, "localhost:5000/probes/opensnoop:v1",
                RunArguments.parse(List.of("--set", "target_pid=1", "--prom-port", "9100")), Map.of());
        assertEquals(List.of("java", "-XX:+UseSerialGC", "-XX:MaxRAMPercentage=75", "-jar", "/opt/bee/bee.jar",
                "run", "--no-tty", "localhost:5000/probes/opensnoop:v1", "--set", "target_pid=1", "--prom-port", "9100"),
                s.entrypoint());
        assertEquals(List.of(9100), s.ports());
        assertEquals(Map.of("BEE_STORAGE", "/var/lib/bee/store", "BEE_HOME", "/var/lib/bee"), s.environment());
    }

    @Test
    void aClassPathRunsTheMainClass() {
        BeeCode cp = new BeeCode(List.of(), List.of("-cp", "/opt/bee/classes/0:/opt/bee/lib/a.jar", "dev.bee.cli.Main"));
        assertEquals(List.of("java", "-XX:+UseSerialGC", "-XX:MaxRAMPercentage=75", "-cp",
                "/opt/bee/classes/0:/opt/bee/lib/a.jar", "dev.bee.cli.Main", "run", "--no-tty", "x:v1"),
                ContainerSpec.of(cp, "x:v1", RunArguments.none(), Map.of()).entrypoint());
    }

    @Test
    void defaultMetricsPortIsExposedAndNoneWhenMetricsAreOff() {
        assertEquals(List.of(9091), ContainerSpec.of(JAR, "x:v1", RunArguments.none(), Map.of()).ports());
        assertEquals(List.of(), ContainerSpec.of(JAR, "x:v1", RunArguments.parse(List.of("--prom-port", "0")),
                Map.of()).ports());
    }

    @Test
    void labelsAndEnvironmentIterateSorted() {
        Map<String, String> labels = Map.of("z", "1", "a", "2", "io.ebpf.maps", "{}", "dev.bee.ebpf.image", "x");
        ContainerSpec s = ContainerSpec.of(JAR, "x:v1", RunArguments.none(), labels);
        assertEquals(List.of("a", "dev.bee.ebpf.image", "io.ebpf.maps", "z"), List.copyOf(s.labels().keySet()));
        assertEquals(List.of("BEE_HOME", "BEE_STORAGE"), List.copyOf(s.environment().keySet()));
    }
}
