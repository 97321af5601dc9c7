package dev.bee.cli;

import dev.bee.core.image.Digests;
import dev.bee.core.image.ImageBuilder;
import dev.bee.core.image.ImageConfig;
import dev.bee.core.image.ImageRef;
import dev.bee.core.image.ImageStore;
import dev.bee.core.image.LocalImage;
import dev.bee.core.image.MediaTypes;
import dev.bee.core.image.Platform;
import dev.bee.core.image.RegistryOptions;
import dev.bee.core.image.registry.RegistryClient;
import dev.bee.core.runtime.LibbpfBinding;
import dev.bee.core.sink.TextTable;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The launcher's training run for its class data sharing archive ({@code bee cds-training}, run by
 * {@link Main#main} before picocli is touched, not a picocli command). It loads the classes every command
 * may need, from bee.jar itself, so the archive the JVM writes at exit serves all commands, not only the
 * first one a user happens to run; and it runs what {@code list}, {@code tag}, {@code rmi}, {@code push}
 * and {@code pull} run, on a temporary store and a registry on loopback made for the purpose, so the JDK
 * classes and generated code they use (file locks, digests, HTTP) are in the archive too.
 * {@code bee cds-training run} trains a smaller archive for {@code bee run} alone, of the classes a run
 * loads: an archive is resident in whole, and a streaming agent's memory counts.
 */
final class CdsTraining {
    static final String COMMAND = "cds-training";
    /**
     * The code bee runs: its own, the command line, JSON, the binding, metrics, the screen, YAML (bee package).
     * Not Jib, which only bee package uses.
     */
    private static final List<String> PACKAGES = List.of("dev/bee/", "picocli/", "com/fasterxml/jackson/core/",
            "com/fasterxml/jackson/databind/", "jnr/ffi/", "jnr/x86asm/", "com/kenai/jffi/", "io/prometheus/metrics/",
            "org/jline/", "org/slf4j/", "org/snakeyaml/");
    /** What {@code bee run} loads: no registry, no image building, no protobuf exposition. */
    private static final List<String> RUN_PACKAGES = List.of("dev/bee/core/", "dev/bee/cli/", "picocli/",
            "jnr/ffi/", "jnr/x86asm/", "com/kenai/jffi/", "org/objectweb/asm/", "io/prometheus/metrics/core/",
            "io/prometheus/metrics/model/", "io/prometheus/metrics/config/", "io/prometheus/metrics/exporter/",
            "io/prometheus/metrics/expositionformats/", "org/jline/terminal/", "org/jline/utils/", "org/slf4j/");
    private static final List<String> RUN_EXCLUDED = List.of("dev/bee/core/image/container/",
            "dev/bee/core/image/registry/", "dev/bee/core/build/", "dev/bee/core/init/",
            "io/prometheus/metrics/expositionformats/generated/");

    private CdsTraining() {
    }

    /**
     * JDK classes every command loads that the steps below do not: what picocli's start-up resolves by name
     * (its converters for java.sql and java.time types), and what a registry's kept-alive connection uses.
     */
    private static final List<String> JDK_CLASSES = List.of("java.sql.Time", "java.sql.Timestamp", "java.sql.Connection",
            "java.sql.Driver", "java.sql.DriverManager", "java.sql.DriverAction", "java.sql.SQLFeatureNotSupportedException",
            "java.time.OffsetDateTime", "java.time.OffsetTime", "java.time.MonthDay", "java.time.Year", "java.time.YearMonth",
            "java.time.Month", "java.time.DayOfWeek", "java.time.chrono.IsoEra", "java.util.Stack",
            "java.util.IllegalFormatException", "java.io.LineNumberReader", "java.util.MissingResourceException",
            "sun.net.www.http.KeepAliveStream", "sun.net.www.http.KeepAliveStreamCleaner",
            "sun.net.www.http.KeepAliveCache$ClientVector", "sun.net.www.http.KeepAliveEntry");

    /**
     * {@code args}: {@code cds-training}, and {@code run} for run's archive. Loads bee's classes, then (not
     * for run) runs the image commands' work; always 0 (a failed step only archives less).
     */
    static int run(String... args) {
        boolean forRun = args.length > 1 && args[1].equals("run");
        try {
            loadClasses(forRun ? RUN_PACKAGES : PACKAGES, forRun ? RUN_EXCLUDED : List.of());
        } catch (IOException e) {
            return 0; // an archive of what loaded is still an archive
        }
        for (String name : JDK_CLASSES) {
            try {
                Class.forName(name, false, null);
            } catch (ClassNotFoundException | LinkageError e) {
                // another JDK: nothing to archive
            }
        }
        if (forRun) {
            exerciseRun();
            return 0;
        }
        System.getenv(ImageStore.ENV);
        System.console();
        try {
            exercise();
        } catch (Exception | LinkageError e) {
            // an archive without these paths is still an archive
        }
        return 0;
    }

    /**
     * What a run does before its first kernel call, short of the kernel: run's command line parsed, and
     * libbpf bound (the JDK's reflection, annotation and method handle classes they use go in the archive;
     * the binding's generated classes cannot).
     */
    private static void exerciseRun() {
        try {
            String[] args = {"run", "training.o", "--duration", "0", "--no-tty", "--prom-port", "0"};
            Main.commandLine(args).parseArgs(args);
        } catch (RuntimeException | LinkageError e) {
            // an archive without it is still an archive
        }
        try {
            LibbpfBinding.await();
        } catch (RuntimeException | LinkageError e) {
            // no libbpf here: a run would fail anyway
        }
    }

    private static void loadClasses(List<String> packages, List<String> excluded) throws IOException {
        Path jar;
        try {
            jar = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            return;
        }
        if (!jar.toString().endsWith(".jar")) {
            return; // run from classes: nothing to archive
        }
        ClassLoader loader = Main.class.getClassLoader();
        try (JarFile f = new JarFile(jar.toFile())) {
            for (JarEntry e : f.stream().toList()) {
                String n = e.getName();
                if (n.endsWith(".class") && !n.contains("module-info") && !n.startsWith("META-INF/")
                        && packages.stream().anyMatch(n::startsWith) && excluded.stream().noneMatch(n::startsWith)) {
                    try {
                        Class.forName(n.substring(0, n.length() - 6).replace('/', '.'), false, loader);
                    } catch (Throwable t) {
                        // a class whose optional dependencies are absent: bee never uses it
                    }
                }
            }
        }
    }

    /**
     * An image built into a temporary store, tagged, listed, pushed to a registry on loopback (found by
     * the TLS probe to speak plain HTTP), removed, pulled back and removed again.
     */
    private static void exercise() throws IOException {
        Path dir = Files.createTempDirectory("bee-cds-training-");
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        try (TrainingRegistry registry = new TrainingRegistry()) {
            String name = "127.0.0.1:" + registry.port() + "/training/image:v1";
            ImageStore store = new ImageStore(dir.resolve("store"));
            byte[] program = new byte[64];
            program[0] = 0x7f;
            program[1] = 'E';
            program[2] = 'L';
            program[3] = 'F';
            program[5] = 1;
            program[18] = (byte) 247;
            byte[] config = new ImageConfig(ImageConfig.SCHEMA, "amd64", "linux", "6.0", null, "GPL",
                    List.of(new ImageConfig.Program("p", "tp/x/y", "TRACEPOINT", "TRACEPOINT", "x/y")), List.of(),
                    List.of(), null).toBytes();
            ImageBuilder.store(store, name, ImageBuilder.build(program, config, Map.of()), Platform.host());
            store.tag(name, "training/other:v1");
            TextTable table = new TextTable(List.of("NAME", "DIGEST", "KIND", "PROGRAMS", "SIZE", "PLATFORM"));
            for (ImageStore.Entry e : store.namedEntries()) {
                LocalImage image = store.open(e);
                table.row(List.of(e.name(), Digests.shortForm(e.digest()), image.kind().label(),
                        image.beeConfig().programs().size(), Digests.humanSize(image.manifest().totalSize()),
                        String.valueOf(image.platform())));
            }
            quiet.print(table);
            RegistryOptions options = new RegistryOptions(false, false, dir.resolve("no-auth.json"), null,
                    Duration.ofSeconds(5));
            RegistryClient client = new RegistryClient(options, new ProgressPrinter(quiet, false, "pushing"));
            client.push(store, store.open(name), ImageRef.parse(name));
            store.remove("training/other:v1");
            store.remove(name);
            client.pull(store, ImageRef.parse(name));
            store.remove(name);
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /**
     * The few calls of the distribution API that a push and a pull make, kept in memory, on one thread:
     * HTTP/1.1, one request per connection. Like the CNCF registry it answers a TLS handshake with a 400 in
     * plain text, which is how bee's probe of a loopback registry finds plain HTTP at once.
     */
    private static final class TrainingRegistry implements AutoCloseable {
        private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
        private final Map<String, byte[]> manifests = new ConcurrentHashMap<>();
        private final ServerSocket socket;

        TrainingRegistry() throws IOException {
            socket = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
            Thread t = new Thread(this::serve, "bee-cds-training-registry");
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        private void serve() {
            while (!socket.isClosed()) {
                try (Socket c = socket.accept()) {
                    c.setSoTimeout(5000);
                    answer(new BufferedInputStream(c.getInputStream()), c.getOutputStream());
                } catch (IOException e) {
                    // closed, or a client that went away
                }
            }
        }

        private void answer(InputStream in, OutputStream out) throws IOException {
            in.mark(1);
            if (in.read() == 0x16) { // a TLS handshake
                reply(out, 400, null, new byte[0], false);
                return;
            }
            in.reset();
            String line = readLine(in);
            String[] request = line.split(" ");
            long length = 0;
            for (String h = readLine(in); !h.isEmpty(); h = readLine(in)) {
                if (h.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                    length = Long.parseLong(h.substring(15).trim());
                }
            }
            byte[] body = in.readNBytes((int) length);
            String method = request[0];
            URI uri = URI.create(request[1]);
            String path = uri.getPath();
            String last = path.substring(path.lastIndexOf('/') + 1);
            boolean head = method.equals("HEAD");
            if (path.equals("/v2/")) {
                reply(out, 200, "application/json", "{}".getBytes(StandardCharsets.UTF_8), head);
            } else if (method.equals("POST") && path.endsWith("/blobs/uploads/")) {
                out.write(("HTTP/1.1 202 Accepted\r\nLocation: /upload/1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
            } else if (method.equals("PUT") && path.startsWith("/upload/")) {
                String query = uri.getQuery();
                blobs.put(query.substring(query.indexOf("digest=") + 7), body);
                reply(out, 201, null, new byte[0], false);
            } else if (method.equals("PUT") && path.contains("/manifests/")) {
                manifests.put(last, body);
                manifests.put(Digests.sha256(body), body);
                reply(out, 201, null, new byte[0], false);
            } else if (path.contains("/manifests/") && manifests.containsKey(last)) {
                reply(out, 200, MediaTypes.OCI_MANIFEST, manifests.get(last), head);
            } else if (path.contains("/blobs/") && blobs.containsKey(last)) {
                reply(out, 200, "application/octet-stream", blobs.get(last), head);
            } else {
                reply(out, 404, "application/json", "{\"errors\":[]}".getBytes(StandardCharsets.UTF_8), head);
            }
        }

        private static String readLine(InputStream in) throws IOException {
            StringBuilder sb = new StringBuilder();
            for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
                if (b != '\r') {
                    sb.append((char) b);
                }
            }
            return sb.toString();
        }

        private static void reply(OutputStream out, int status, String type, byte[] body, boolean head)
                throws IOException {
            StringBuilder h = new StringBuilder("HTTP/1.1 ").append(status).append(" X\r\n");
            if (type != null) {
                h.append("Content-Type: ").append(type).append("\r\nDocker-Content-Digest: ").append(Digests.sha256(body))
                        .append("\r\n");
            }
            h.append("Content-Length: ").append(body.length).append("\r\nConnection: close\r\n\r\n");
            out.write(h.toString().getBytes(StandardCharsets.US_ASCII));
            if (!head) {
                out.write(body);
            }
            out.flush();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
