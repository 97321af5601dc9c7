package dev.bee.core.image.container;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a packaged container image says besides its files: the entrypoint ({@code java ... bee run
 * --no-tty REF FLAGS}), the environment that points bee at the store inside the image, the labels,
 * and the metrics port it exposes.
 *
 * @param entrypoint  the whole command; the image has no CMD, so arguments given at run time
 *                    ({@code docker run IMAGE --pid 42}, a pod's {@code args}) are more {@code bee run} flags
 * @param environment {@code BEE_STORAGE} and {@code BEE_HOME}
 * @param labels      see {@link ImageLabels}
 * @param ports       the exposed TCP ports: the metrics port, or none when metrics are off
 */
public record ContainerSpec(List<String> entrypoint, Map<String, String> environment, Map<String, String> labels,
                            List<Integer> ports) {
    /**
     * JVM flags: the serial collector and a heap bounded by the container's memory limit suit one
     * event loop per node; {@code JAVA_TOOL_OPTIONS} in the pod adds or overrides flags.
     */
    public static final List<String> JVM_FLAGS = List.of("-XX:+UseSerialGC", "-XX:MaxRAMPercentage=75");

    public ContainerSpec {
        entrypoint = List.copyOf(entrypoint);
        // Sorted and fixed: Jib writes maps in iteration order, and Map.copyOf's order changes per JVM run.
        environment = Collections.unmodifiableSortedMap(new TreeMap<>(environment));
        labels = Collections.unmodifiableSortedMap(new TreeMap<>(labels));
        ports = List.copyOf(ports);
    }

    /** The image that runs {@code bee run --no-tty imageName} with {@code run}'s flags, from {@code code}. */
    public static ContainerSpec of(BeeCode code, String imageName, RunArguments run, Map<String, String> labels) {
        return of(code, imageName, run, labels, List.of());
    }

    /** As above, with {@code trustFlags} ({@code --policy}, {@code --verify-key} of the baked trust files) before the image. */
    public static ContainerSpec of(BeeCode code, String imageName, RunArguments run, Map<String, String> labels,
                                   List<String> trustFlags) {
        List<String> entrypoint = new ArrayList<>();
        entrypoint.add("java");
        entrypoint.addAll(JVM_FLAGS);
        entrypoint.addAll(code.launch());
        entrypoint.addAll(List.of("run", "--no-tty"));
        entrypoint.addAll(trustFlags);
        entrypoint.add(imageName);
        entrypoint.addAll(run.args());
        Map<String, String> env = new TreeMap<>();
        env.put("BEE_STORAGE", ContainerLayout.STORE);
        env.put("BEE_HOME", ContainerLayout.HOME);
        return new ContainerSpec(entrypoint, env, labels,
                run.metricsEnabled() ? List.of(run.metricsPort()) : List.of());
    }
}
