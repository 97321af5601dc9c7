package dev.bee.core.image.container;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import dev.bee.core.metrics.MetricsServer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code bee run} flags baked into a container image ({@code bee package REF IMAGE -- FLAGS}): only
 * flags that make sense for a long-running container are accepted, and what the image and its
 * DaemonSet need from them is read here: the metrics port and address, and whether a process or an
 * interface of the host is named.
 *
 * @param args           the flags as given, in order
 * @param metricsPort    the port {@code bee run} serves /metrics on (9091 unless {@code --prom-port}; 0: off)
 * @param metricsAddress the {@code --prom-address} given, or null (every interface)
 * @param pid            whether {@code --pid} names a process (of the host, for uprobes)
 * @param iface          whether {@code --iface} names a network interface (of the host)
 * @param cgroup         whether {@code --cgroup} names a cgroup folder (of the host)
 * @param output         the {@code -o} format given ({@code text}, {@code json}, {@code none}), or null
 * @param pins           whether {@code --pin-maps} or {@code --pin-progs} pins into the bpf filesystem
 */
public record RunArguments(List<String> args, int metricsPort, String metricsAddress, boolean pid, boolean iface,
                           boolean cgroup, String output, boolean pins) {
    /** The formats of {@code bee run -o}. */
    private static final Set<String> OUTPUTS = Set.of("text", "json", "none");

    // The three sets below are package-private for RunFlags, with which tests hold them against bee run's options.
    /** Flags that take a value (as {@code --flag VALUE} or {@code --flag=VALUE}). */
    static final Set<String> WITH_VALUE = Set.of("--set", "-f", "--filter", "--prom-port", "--prom-address",
            "--metrics-prefix", "--metric-names", "--max-series", "-b", "--hist-buckets", "-k", "--hist-value-key", "--gauge-value-key",
            "--interval", "--iface", "--tc-direction", "--cgroup", "--perf-freq", "--pid", "--pin-maps", "--pin-progs",
            "--ready-file", "--queue-size", "-o", "--output", "--enrich", "--container", "--pod", "--namespace", "--runtime-socket");
    /** Flags without a value. */
    static final Set<String> SWITCHES = Set.of("--per-cpu", "-v", "--verbose", "-d", "--debug");
    /** Flags of {@code bee run} that have no place in an image, and why. */
    static final Map<String, String> REFUSED = Map.ofEntries(
            Map.entry("--duration", "a DaemonSet restarts a container that ends; the container runs until stopped"),
            Map.entry("--max-events", "a DaemonSet restarts a container that ends; the container runs until stopped"),
            Map.entry("--no-tty", "the image always runs with --no-tty"),
            Map.entry("--storage", "the image carries its own store (BEE_STORAGE=" + ContainerLayout.STORE + ")"),
            Map.entry("--config-dir", "the image has its own bee folder (BEE_HOME=" + ContainerLayout.HOME + ")"),
            Map.entry("-h", "help is no run flag"), Map.entry("--help", "help is no run flag"),
            Map.entry("--config", "the image needs no registry at run time: the program is inside it"),
            Map.entry("-c", "the image needs no registry at run time: the program is inside it"),
            Map.entry("--plain-http", "the image needs no registry at run time: the program is inside it"),
            Map.entry("--insecure", "the image needs no registry at run time: the program is inside it"),
            Map.entry("--timeout", "the image needs no registry at run time: the program is inside it"),
            Map.entry("--verify-key", "give it to bee package with --bake-trust: the key goes into the image"),
            Map.entry("--policy", "give it to bee package with --bake-trust: the policy goes into the image"));

    public RunArguments {
        args = List.copyOf(args);
    }

    /** No flags: metrics on 9091. */
    public static RunArguments none() {
        return parse(List.of());
    }

    /** Reads and checks the flags given after {@code --}; an unusable flag is a usage error that says why. */
    public static RunArguments parse(List<String> given) {
        int port = MetricsServer.DEFAULT_PORT;
        String address = null;
        boolean pid = false;
        boolean iface = false;
        boolean cgroup = false;
        String output = null;
        boolean pins = false;
        List<String> args = new ArrayList<>(given);
        for (int i = 0; i < args.size(); i++) {
            String token = args.get(i);
            if (!token.startsWith("-") || token.equals("-")) {
                throw usage("'" + token + "' after -- is not a bee run flag",
                        "the program is REF; after -- give only flags, e.g. -- --set target_pid=1 --prom-port 9100");
            }
            int eq = token.indexOf('=');
            String name = token.startsWith("--") && eq > 0 ? token.substring(0, eq) : token;
            String value;
            if (REFUSED.containsKey(name)) {
                throw usage(name + " cannot be baked into the image: " + REFUSED.get(name), allowedHint());
            }
            if (SWITCHES.contains(name)) {
                if (eq > 0) {
                    throw usage(name + " takes no value", allowedHint());
                }
                continue;
            }
            if (!WITH_VALUE.contains(name)) {
                throw usage("unknown bee run flag " + name + " after --", allowedHint());
            }
            if (eq > 0) {
                value = token.substring(eq + 1);
            } else if (i + 1 < args.size()) {
                value = args.get(++i);
            } else {
                throw usage(name + " needs a value", allowedHint());
            }
            switch (name) {
                case "--prom-port" -> port = port(value);
                case "--prom-address" -> address = value.isBlank() ? null : value;
                case "--pid" -> pid = !value.equals("-1");
                case "--iface" -> iface = true;
                case "--cgroup" -> cgroup = true;
                case "--pin-maps", "--pin-progs" -> pins = true;
                case "-o", "--output" -> {
                    if (!OUTPUTS.contains(value)) {
                        throw usage(name + " " + value + ": not an output of bee run",
                                "give text, json, or none (no records in the log, only metrics and the summary)");
                    }
                    output = value;
                }
                default -> {
                }
            }
        }
        return new RunArguments(args, port, address, pid, iface, cgroup, output, pins);
    }

    private static int port(String value) {
        try {
            int p = Integer.parseInt(value.trim());
            if (p >= 0 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw usage("--prom-port '" + value + "' is not a port (0 to 65535)", "e.g. -- --prom-port 9100; 0 turns metrics off");
    }

    /**
     * Whether the run names pods ({@code --enrich pod}, or a {@code --pod}/{@code --namespace} filter): then
     * its DaemonSet needs the node's processes, a service account and the right to watch pods.
     */
    public boolean podEnrichment() {
        for (int i = 0; i < args.size(); i++) {
            String t = args.get(i);
            int eq = t.indexOf('=');
            String name = eq > 0 ? t.substring(0, eq) : t;
            String value = eq > 0 ? t.substring(eq + 1) : i + 1 < args.size() ? args.get(i + 1) : "";
            if (name.equals("--pod") || name.equals("--namespace")
                    || name.equals("--enrich") && List.of(value.split(",")).contains("pod")) {
                return true;
            }
        }
        return false;
    }

    /** Whether the image serves /metrics. */
    public boolean metricsEnabled() {
        return metricsPort != 0;
    }

    /** Whether /metrics listens only on the loopback address, out of reach of Prometheus and probes. */
    public boolean metricsLocalOnly() {
        return metricsAddress != null && (metricsAddress.startsWith("127.") || metricsAddress.equals("::1")
                || metricsAddress.equals("localhost"));
    }

    private static String allowedHint() {
        return "after -- give bee run's --set, -f/--filter, metrics (--prom-port, --prom-address, --metrics-prefix,"
                + " --metric-names, --max-series, -b, -k, --gauge-value-key), attach (--iface, --tc-direction, --cgroup, --pid,"
                + " --perf-freq), --interval, --per-cpu, --pin-maps, --pin-progs, --ready-file, identity (--enrich,"
                + " --container, --pod, --namespace, --runtime-socket), -o or -v";
    }

    private static BeeException usage(String message, String hint) {
        return new BeeException(ErrorKind.USAGE, message, hint);
    }
}
