package dev.bee.cli;

import dev.bee.cli.ui.Screen;
import dev.bee.core.attach.AttachOptions;
import dev.bee.core.object.BpfObject;
import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import dev.bee.core.decode.TimeSpec;
import dev.bee.core.identity.Enricher;
import dev.bee.core.identity.IdentityOptions;
import dev.bee.core.metrics.MetricsOptions;
import dev.bee.core.metrics.MetricsServer;
import dev.bee.core.runtime.RunOptions;
import dev.bee.core.sink.JsonLinesSink;
import dev.bee.core.sink.RecordFilter;
import dev.bee.core.sink.RecordStage;
import dev.bee.core.object.MapSpec;
import dev.bee.core.object.OutputKind;
import dev.bee.core.sink.HistogramPicturesSink;
import dev.bee.core.sink.RecordSink;
import dev.bee.core.sink.TextLinesSink;
import dev.bee.core.sink.TextTable;
import dev.bee.core.watch.MapStats;
import dev.bee.core.watch.Runner;
import dev.bee.core.watch.WatchOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Collectors;

/** {@code bee run FILE.o}: load, attach, and stream the object's shown maps until stopped. */
@Command(name = "run", header = "Load, attach and watch an eBPF program: records, metrics, a live screen.",
        description = "Load an eBPF object, attach its programs and stream its maps as records until Ctrl-C, "
                + "SIGTERM, --duration or --max-events. Maps named print_*, counter_*, gauge_*, hist_* (or in "
                + ".maps.<kind> sections) are shown: ring buffers and perf event arrays as events, hash and "
                + "array maps as changed entries every --interval. counter_, gauge_ and hist_ maps are also "
                + "Prometheus metrics, served at http://ADDRESS:9091/metrics while the run lasts "
                + "(--prom-port, --prom-address).")
final class RunCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;

    @ParentCommand
    Main bee;

    @Mixin
    RunFormatOption format;

    @Mixin
    RegistryOption registry;

    @Mixin
    MetricsOption metrics;

    @Spec
    CommandSpec spec;

    @Mixin
    ProgramOption program;

    @Option(names = "--no-tty", description = "Plain lines in aligned columns (automatic when stdout is not a terminal).")
    boolean noTty;

    @Option(names = "--duration", paramLabel = "TIME", description = "Stop after TIME (5, 5s, 500ms, 2m).")
    String duration;

    @Option(names = "--max-events", paramLabel = "N", description = "Stop after N records were shown.")
    long maxEvents;

    @Option(names = "--interval", paramLabel = "TIME", defaultValue = "1s",
            description = "How often hash and array maps are polled (default: ${DEFAULT-VALUE}).")
    String interval;

    @Option(names = "--queue-size", paramLabel = "SIZE", defaultValue = "64MiB",
            description = "Memory between taking events out of the kernel and decoding them (default ${DEFAULT-VALUE}, "
                    + "64KiB to 1GiB): a burst that fits is not lost; events past it are counted as lost in bee's queue. "
                    + "Resident only as far as a backlog fills it.")
    String queueSize;

    @Option(names = "--per-cpu", description = "Show per-CPU map values per CPU instead of summed.")
    boolean perCpu;

    @Option(names = "--ready-file", paramLabel = "FILE",
            description = "Once every program is attached, write FILE (one JSON line: pid, attachments, maps, "
                    + "metrics address); removed when bee ends. For scripts that start their workload then. "
                    + "FILE must not exist.")
    Path readyFile;

    @Option(names = {"-f", "--filter"}, paramLabel = "MAP,FIELD,REGEX",
            description = "Keep only records of MAP whose FIELD contains a match of REGEX (repeatable): the others are "
                    + "neither printed nor in metrics (bee_map_filtered_total counts them). RE2 syntax (as Go's "
                    + "regexp), matched in linear time: no backreferences or lookaround.")
    List<String> filters = new ArrayList<>();

    @Option(names = "--pin-maps", paramLabel = "DIR", description = "Pin the maps in DIR (on a bpf filesystem); kept after exit.")
    Path pinMaps;

    @Option(names = "--pin-progs", paramLabel = "DIR", description = "Pin the programs in DIR; kept after exit.")
    Path pinProgs;

    @Option(names = "--iface", paramLabel = "NAME", description = "Network interface for xdp, tc and socket programs.")
    String iface;

    @Option(names = "--tc-direction", paramLabel = "DIR", defaultValue = "ingress",
            description = "ingress or egress, for tc programs whose section does not say (default: ${DEFAULT-VALUE}).")
    String tcDirection;

    @Option(names = "--cgroup", paramLabel = "PATH", description = "cgroup v2 folder for cgroup programs.")
    Path cgroup;

    @Option(names = "--perf-freq", paramLabel = "HZ", defaultValue = "49",
            description = "Sampling frequency of perf_event programs (default: ${DEFAULT-VALUE}).")
    long perfFrequency;

    @Option(names = "--pid", paramLabel = "PID", defaultValue = "-1",
            description = "Process for uprobes and USDTs (default: all).")
    int pid;

    @Option(names = "--enrich", paramLabel = "container|pod", split = ",",
            description = "Add the container of each record's process (its cgroup_id, tgid or pid field) as fields: "
                    + "container: container.id, container.name, container.runtime; pod: also pod.namespace, pod.name. "
                    + "Metrics get them as labels. See docs/identity.md.")
    List<String> enrich = new ArrayList<>();

    @Option(names = "--container", paramLabel = "NAME|ID",
            description = "Keep only records of this container (its name, or its id or an id prefix of 4 or more).")
    String container;

    @Option(names = "--pod", paramLabel = "NS/NAME", description = "Keep only records of this Kubernetes pod.")
    String pod;

    @Option(names = "--namespace", paramLabel = "NS", description = "Keep only records of pods in this Kubernetes namespace.")
    String namespace;

    @Option(names = "--runtime-socket", paramLabel = "PATH",
            description = "The Docker-compatible API socket that names containers (default: /var/run/docker.sock, "
                    + "else /run/podman/podman.sock).")
    Path runtimeSocket;

    @Override
    public Integer call() {
        Duration dur = duration == null ? null : TimeSpec.parse(duration);
        Duration every = TimeSpec.parse(interval);
        if (every.toMillis() < 1) {
            throw new BeeException(ErrorKind.USAGE, "--interval must be at least 1ms");
        }
        if (maxEvents < 0) {
            throw new BeeException(ErrorKind.USAGE, "--max-events must be positive");
        }
        if (perfFrequency <= 0) {
            throw new BeeException(ErrorKind.USAGE, "--perf-freq must be a positive number of samples per second",
                    "for example --perf-freq 99");
        }
        if (pid == 0 || pid < -1) {
            throw new BeeException(ErrorKind.USAGE, "--pid " + pid + ": not a process id",
                    "give the id of a running process, or leave --pid out for every process");
        }
        long queueBytes = ByteSize.parse("--queue-size", queueSize);
        if (queueBytes < WatchOptions.MIN_QUEUE_BYTES || queueBytes > WatchOptions.MAX_QUEUE_BYTES) {
            throw new BeeException(ErrorKind.USAGE, "--queue-size " + queueSize + ": out of range",
                    "give between 64KiB and 1GiB, for example --queue-size 256MiB");
        }
        if (metrics.port < 0 || metrics.port > 65535) {
            throw new BeeException(ErrorKind.USAGE, "--prom-port must be between 0 and 65535");
        }
        RunOutputs.requireNewReadyFile(readyFile);
        RecordFilter filter = RecordFilter.parse(filters);
        IdentityOptions identity = IdentityOptions.parse(enrich, container, pod, namespace, runtimeSocket);
        MetricsOptions metricsOptions = metrics.options();
        AttachOptions attach = new AttachOptions(iface, tcDirection.toLowerCase(Locale.ROOT), cgroup, perfFrequency, pid);
        BpfObject object = program.open(bee.store(), registry);
        RunOptions runOptions = new RunOptions(program.sets, pinMaps, pinProgs, attach, metrics.enabled());
        WatchOptions watchOptions = new WatchOptions(every, perCpu, dur, maxEvents, (int) queueBytes);

        // Records go to stdout through a large buffer, flushed after each batch read.
        OutputStream stdout = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16);
        PrintStream out = System.out == originalOut ? new PrintStream(stdout, false, StandardCharsets.UTF_8) : System.out;
        boolean tty = System.console() != null && !noTty;
        // On a terminal the live screen takes the place of the lines on stdout.
        boolean screenOn = tty && !format.json() && !format.none() && Screen.supported(System.getenv("TERM"));
        MetricsServer server = startMetrics(object, metricsOptions);
        RunOutputs outputs;
        try {
            outputs = new RunOutputs(format.none() ? null : format.json() ? JsonLinesSink::new : textLines(object), out,
                    screenOn ? Screen.create(program.displayName(), server == null ? null : server.url()) : null, server,
                    info -> progress(info.attachments(), info.maps(), server, tty), readyFile);
        } catch (RuntimeException e) {
            if (server != null) {
                server.close();
            }
            throw e;
        }
        try (outputs; Enricher enricher = identity.active() ? Enricher.start(identity) : null) {
            Runner.Result result = Runner.run(object, runOptions, watchOptions, outputs.sinks(),
                    enricher == null ? RecordStage.NONE : enricher, filter, outputs);
            outputs.finish();
            summary(result);
        } finally {
            out.flush();
        }
        return 0;
    }

    /**
     * The metrics endpoint, or null when turned off. A taken default port only warns (a second run on one
     * machine still works); a port asked for explicitly must be served.
     */
    private MetricsServer startMetrics(BpfObject object, MetricsOptions options) {
        if (!metrics.enabled()) {
            return null;
        }
        try {
            return MetricsServer.start(object, options, metrics.address, metrics.port);
        } catch (BeeException e) {
            if (spec.commandLine().getParseResult().hasMatchedOption("--prom-port")) {
                throw e;
            }
            System.err.println("bee: warning: " + e.getMessage() + "; running without metrics (--prom-port N serves them on another port)");
            return null;
        }
    }

    /**
     * Text lines, with the hist_ maps the program fills per bucket drawn as histograms at each poll (the
     * numbers stay in -o json and the metrics).
     */
    private static Function<PrintStream, RecordSink> textLines(BpfObject object) {
        Set<String> pictures = object.maps().stream()
                .filter(m -> m.output() == OutputKind.HIST && m.type().isKeyed())
                .map(MapSpec::name).collect(Collectors.toSet());
        return ps -> pictures.isEmpty() ? new TextLinesSink(ps) : new HistogramPicturesSink(new TextLinesSink(ps), ps, pictures);
    }

    /** System.out as the JVM started it; tests that capture System.out replace it and get their stream used. */
    private static final PrintStream originalOut = System.out;

    private void progress(List<String> attached, List<MapStats> maps, MetricsServer server, boolean tty) {
        List<String> shown = maps.stream().map(MapStats::map).toList();
        System.err.println("bee: running " + program.displayName() + ": " + attached.size() + " program"
                + (attached.size() == 1 ? "" : "s") + " attached, showing "
                + (shown.isEmpty() ? "no maps (none has a print_/counter_/gauge_/hist_ name)" : String.join(", ", shown))
                + (duration != null ? " for " + TimeSpec.format(TimeSpec.parse(duration)) : "") + (tty ? "; Ctrl-C to stop" : ""));
        if (server != null) {
            System.err.println("bee: metrics on " + server.url());
        }
        if (bee.verbose()) {
            attached.forEach(a -> System.err.println("bee:   " + a));
        }
        System.err.flush();
    }

    private static void summary(Runner.Result r) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "bee: stopped (%s) after %.1fs", r.stopReason(),
                r.elapsed().toMillis() / 1000.0));
        if (!r.stats().isEmpty()) {
            TextTable t = new TextTable(List.of("MAP", "SOURCE", "RECORDS", "SHOWN", "FILTERED", "LOST", "MALFORMED"));
            for (MapStats s : r.stats()) {
                t.row(List.of(s.map(), s.source(), s.records(), s.shown(), s.filtered(),
                        s.lostText(), s.malformed()));
            }
            sb.append('\n').append(t.toString().stripTrailing());
            long queueLost = r.stats().stream().mapToLong(MapStats::queueLost).sum();
            if (queueLost > 0) {
                sb.append("\nbee: ").append(queueLost).append(queueLost == 1 ? " event" : " events")
                        .append(" did not fit bee's queue of ").append(ByteSize.format(r.queue().capacity()))
                        .append(" behind a slower output (--queue-size to give it more)");
            }
            for (MapStats s : r.stats()) {
                String behind = s.behindText();
                if (behind != null) {
                    sb.append("\nbee: ").append(s.map()).append(" did not keep up: ").append(behind)
                            .append(" (docs/metrics.md, \"Large maps\")");
                }
            }
        }
        System.err.println(sb);
        System.err.flush();
    }

}
