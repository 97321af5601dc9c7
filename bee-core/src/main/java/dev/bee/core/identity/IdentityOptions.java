package dev.bee.core.identity;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What {@code bee run} asks of container identity: {@code --enrich container|pod} (fields added to
 * records), {@code --container NAME|ID}, {@code --pod NS/NAME}, {@code --namespace NS} (filters), and the
 * runtime API socket ({@code --runtime-socket}, else docker's or podman's usual one).
 *
 * @param containers add container.id, container.name, container.runtime
 * @param pods       add pod.namespace, pod.name as well
 * @param container  keep only records of this container (name, or id or a prefix of at least 4 characters); null for all
 * @param podNamespace keep only records of pods in this namespace; null for all
 * @param podName    keep only records of this pod (with podNamespace); null for all
 * @param socket     the Docker-compatible API socket, or null for the usual ones
 */
public record IdentityOptions(boolean containers, boolean pods, String container, String podNamespace, String podName,
                              Path socket) {
    public static final IdentityOptions OFF = new IdentityOptions(false, false, null, null, null, null);

    /** Parses the command line's forms, failing with a usage error that shows the right one. */
    public static IdentityOptions parse(List<String> enrich, String container, String pod, String namespace, Path socket) {
        boolean containers = false;
        boolean pods = false;
        for (String spec : enrich == null ? List.<String>of() : enrich) {
            for (String e : spec.split(",")) {
                switch (e.trim().toLowerCase(Locale.ROOT)) {
                    case "container" -> containers = true;
                    case "pod" -> {
                        containers = true;
                        pods = true;
                    }
                    default -> throw new BeeException(ErrorKind.USAGE, "--enrich " + spec + ": expected container or pod",
                            "--enrich container adds container.id, .name, .runtime; --enrich pod adds pod.namespace and pod.name too");
                }
            }
        }
        if (container != null && container.isBlank()) {
            throw new BeeException(ErrorKind.USAGE, "--container needs a container name or id");
        }
        String ns = namespace;
        String name = null;
        if (pod != null) {
            int slash = pod.indexOf('/');
            if (slash <= 0 || slash == pod.length() - 1 || pod.indexOf('/', slash + 1) >= 0) {
                throw new BeeException(ErrorKind.USAGE, "--pod " + pod + ": expected NAMESPACE/NAME", "for example --pod default/web-0");
            }
            String podNs = pod.substring(0, slash);
            if (ns != null && !ns.equals(podNs)) {
                throw new BeeException(ErrorKind.USAGE, "--pod " + pod + " is not in --namespace " + ns,
                        "give one of them, or the same namespace in both");
            }
            ns = podNs;
            name = pod.substring(slash + 1);
        }
        if (ns != null && ns.isBlank()) {
            throw new BeeException(ErrorKind.USAGE, "--namespace needs a namespace name");
        }
        return new IdentityOptions(containers, pods, container, ns, name, socket);
    }

    /** Whether anything is asked: if not, no lookup is ever made. */
    public boolean active() {
        return containers || filters();
    }

    /** Whether a filter is set. */
    public boolean filters() {
        return container != null || podNamespace != null;
    }

    /** Whether pod names are needed (to add or to filter by). */
    public boolean needsPods() {
        return pods || podNamespace != null;
    }
}
