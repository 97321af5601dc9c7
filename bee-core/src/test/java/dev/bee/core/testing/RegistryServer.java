package dev.bee.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real OCI registry for tests: Debian's {@code docker-registry} (CNCF distribution) on 127.0.0.1
 * (or another address of this machine) and a free port, storing into a temp folder; optionally with
 * htpasswd basic auth. Started per test class, stopped (and its folder deleted) on close.
 */
public final class RegistryServer implements AutoCloseable {
    private final Path dir;
    private final String address;
    private final int port;
    private final Process process;
    private final boolean tls;

    private RegistryServer(Path dir, String address, int port, Process process, boolean tls) {
        this.dir = dir;
        this.address = address;
        this.port = port;
        this.process = process;
        this.tls = tls;
    }

    /** Starts a registry without authentication. */
    public static RegistryServer start() {
        return start(null, null);
    }

    /** Starts a registry that requires {@code user}/{@code password} (basic auth) when both are given. */
    public static RegistryServer start(String user, String password) {
        return start(user, password, "127.0.0.1");
    }

    /** Starts a registry without authentication on {@code address}, an IPv4 address of this machine. */
    public static RegistryServer startOn(String address) {
        return start(null, null, address);
    }

    /**
     * Starts a registry without authentication on 127.0.0.1 that speaks HTTPS only, with a self-signed
     * certificate for another name ({@code bee.invalid}): trusted by nobody, matching no host.
     */
    public static RegistryServer startTls() {
        return start(null, null, "127.0.0.1", true, null);
    }

    /**
     * {@link #startTls()}, with token authentication whose challenge names {@code realm} as the token service
     * (any URL: the registry only names it; a token it would accept is never needed by the tests).
     */
    public static RegistryServer startTlsWithTokenRealm(String realm) {
        return start(null, null, "127.0.0.1", true, realm);
    }

    /**
     * An IPv4 address of this machine outside loopback (where bee never drops to plain HTTP by itself);
     * skips the test, or fails it in strict mode, when the machine has none.
     */
    public static String nonLoopbackAddress() {
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nif.isUp() || nif.isLoopback()) {
                    continue;
                }
                for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                    if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                        return a.getHostAddress();
                    }
                }
            }
        } catch (SocketException e) {
            // no interfaces to list: as if there were none
        }
        Requirements.require(false, "needs an IPv4 address outside loopback (a network interface that is up)");
        return null;
    }

    private static RegistryServer start(String user, String password, String address) {
        return start(user, password, address, false, null);
    }

    private static RegistryServer start(String user, String password, String address, boolean tls, String realm) {
        Path binary = Requirements.requireTool("docker-registry");
        try {
            Path dir = Files.createTempDirectory("bee-registry-");
            int port = freePort();
            StringBuilder config = new StringBuilder()
                    .append("version: 0.1\n")
                    .append("log:\n  level: error\n  accesslog:\n    disabled: true\n")
                    .append("storage:\n  filesystem:\n    rootdirectory: ").append(dir.resolve("data")).append('\n')
                    .append("  delete:\n    enabled: true\n")
                    .append("http:\n  addr: ").append(address).append(':').append(port).append('\n');
            if (tls) {
                Requirements.requireTool("openssl");
                Path cert = dir.resolve("cert.pem");
                Path key = dir.resolve("key.pem");
                Process o = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                        key.toString(), "-out", cert.toString(), "-days", "2", "-subj", "/CN=bee.invalid",
                        "-addext", "subjectAltName=DNS:bee.invalid").redirectErrorStream(true).start();
                String out = new String(o.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (o.waitFor() != 0) {
                    throw new IllegalStateException("openssl failed: " + out);
                }
                config.append("  tls:\n    certificate: ").append(cert).append("\n    key: ").append(key).append('\n');
            }
            if (user != null) {
                Requirements.requireTool("htpasswd");
                Process h = new ProcessBuilder("htpasswd", "-Bbn", user, password).redirectErrorStream(true).start();
                String line = new String(h.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                if (h.waitFor() != 0) {
                    throw new IllegalStateException("htpasswd failed: " + line);
                }
                Files.writeString(dir.resolve("htpasswd"), line + "\n");
                config.append("auth:\n  htpasswd:\n    realm: bee-test\n    path: ").append(dir.resolve("htpasswd"))
                        .append('\n');
            }
            if (realm != null) {
                config.append("auth:\n  token:\n    realm: ").append(realm).append("\n    service: bee-test\n")
                        .append("    issuer: bee-test\n    rootcertbundle: ").append(dir.resolve("cert.pem")).append('\n');
            }
            Path yml = dir.resolve("config.yml");
            Files.writeString(yml, config.toString());
            Process p = new ProcessBuilder(binary.toString(), "serve", yml.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
            RegistryServer server = new RegistryServer(dir, address, port, p, tls);
            server.awaitReady();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A port nothing listens on now, on 127.0.0.1. */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private void awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("docker-registry exited: " + log());
            }
            if (tls) {
                try (java.net.Socket ignored = new java.net.Socket(address, port)) {
                    return; // listening; TLS is the test's to judge
                } catch (IOException e) {
                    Thread.sleep(50);
                    continue;
                }
            }
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create("http://" + host() + "/v2/").toURL().openConnection();
                c.setConnectTimeout(500);
                int code = c.getResponseCode();
                if (code == 200 || code == 401) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("docker-registry did not start on " + host() + ": " + log());
    }

    /** {@code ADDRESS:PORT}, e.g. {@code 127.0.0.1:5000}. */
    public String host() {
        return address + ":" + port;
    }

    public int port() {
        return port;
    }

    /** The folder where the registry keeps its blobs ({@code docker/registry/v2/...}). */
    public Path dataDir() {
        return dir.resolve("data");
    }

    /** The stored file of a blob, e.g. to tamper with it. */
    public Path blobFile(String digest) {
        String hex = digest.substring("sha256:".length());
        return dataDir().resolve(Path.of("docker", "registry", "v2", "blobs", "sha256", hex.substring(0, 2), hex, "data"));
    }

    public String log() {
        try {
            return Files.readString(dir.resolve("registry.log"));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    /** Stops the registry process (the data stays until close). */
    public void stop() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // best effort
        }
    }

    /** Runs a command (skopeo in tests) and returns its output; fails the test on a non-zero exit. */
    public static String exec(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError(String.join(" ", command) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
