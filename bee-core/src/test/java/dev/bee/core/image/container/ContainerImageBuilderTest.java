package dev.bee.core.image.container;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import dev.bee.core.image.ImageBuilder;
import dev.bee.core.image.ImageRef;
import dev.bee.core.image.ImageStore;
import dev.bee.core.image.LocalImage;
import dev.bee.core.image.Platform;
import dev.bee.core.image.RegistryOptions;
import dev.bee.core.image.TransferProgress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What bee package's image builder does around Jib: time limits against a registry that stalls (a scripted
 * server: a real registry does not stall), outputs that appear whole or not at all, folders it refuses.
 * The real registry paths are in bee-cli's PackageIT.
 */
class ContainerImageBuilderTest {
    @TempDir
    Path tmp;

    private ContainerImageBuilder.Request request(ImageRef base, ContainerImageBuilder.Target target) throws Exception {
        ImageStore store = new ImageStore(tmp.resolve("local-store"));
        ImageBuilder.Built built = ImageBuilder.build("\177ELF pretend".getBytes(StandardCharsets.UTF_8),
                "{}".getBytes(StandardCharsets.UTF_8), Map.of());
        ImageBuilder.store(store, "probes/x:v1", built, new Platform("linux", "amd64", null, "6.1.0"));
        LocalImage image = store.open("probes/x:v1");
        Path jar = Files.writeString(tmp.resolve("bee.jar"), "not really a jar");
        BeeCode code = new BeeCode(List.of(new BeeCode.FileCopy(jar, "/opt/bee/bee.jar", BeeCode.BEE_LAYER)),
                List.of("-jar", "/opt/bee/bee.jar"));
        Path copy = tmp.resolve("copy");
        List<Path> files = StoreCopy.write(store, image, "probes/x:v1", copy);
        ContainerSpec spec = ContainerSpec.of(code, "probes/x:v1", RunArguments.none(), Map.of());
        return new ContainerImageBuilder.Request(base, target, spec, code, copy, files, "amd64", Instant.EPOCH);
    }

    private ContainerImageBuilder builder(Duration timeout) {
        return new ContainerImageBuilder(new RegistryOptions(false, false, tmp.resolve("none.json"), null, timeout),
                TransferProgress.NONE, TransferProgress.NONE, tmp.resolve("jib-cache"), "test");
    }

    /** A loopback server that accepts connections and never answers, as a hung registry does. */
    private static final class StallingServer implements AutoCloseable {
        final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        final List<Socket> held = new ArrayList<>();
        final Thread acceptor = new Thread(() -> {
            try {
                while (!socket.isClosed()) {
                    Socket s = socket.accept();
                    synchronized (held) {
                        held.add(s);
                    }
                }
            } catch (IOException e) {
                // closed
            }
        });

        StallingServer() throws IOException {
            acceptor.setDaemon(true);
            acceptor.start();
        }

        String host() {
            return "127.0.0.1:" + socket.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            socket.close();
            synchronized (held) {
                for (Socket s : held) {
                    s.close();
                }
            }
        }
    }

    @Test
    void aStallingRegistryFailsWithinTheTimeoutAndLeavesNoOutput() throws Exception {
        try (StallingServer server = new StallingServer()) {
            Path out = tmp.resolve("out");
            ContainerImageBuilder.Request r = request(ImageRef.parse(server.host() + "/bee/base:1"),
                    new ContainerImageBuilder.OciLayout(out, ImageRef.parse("probes/x-pod:v1")));
            long start = System.nanoTime();
            BeeException e = assertThrows(BeeException.class, () -> builder(Duration.ofSeconds(1)).pack(r));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertEquals(ErrorKind.REGISTRY, e.kind(), e.getMessage());
            assertTrue(e.getMessage().contains("sent nothing for 1s"), e.getMessage());
            assertTrue(e.hint().contains("--timeout"), e.hint());
            // The loopback probes (TLS, then HTTP) and Jib's request and its one retry each wait at most the
            // second; Jib's own ten retries with back-off took over a minute.
            assertTrue(took.compareTo(Duration.ofSeconds(12)) < 0, "took " + took);
            assertFalse(Files.exists(out), "no folder for an image that was not made");
            assertEquals(List.of(), leftovers(tmp));
        }
    }

    @Test
    void aFolderWithItsOwnIndexButNoOciLayoutIsRefusedAndKept() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("mine"));
        Files.writeString(dir.resolve("index.json"), "{\"mine\": true}");
        BeeException e = assertThrows(BeeException.class, () -> ContainerImageBuilder.checkOciFolder(dir));
        assertEquals(ErrorKind.USAGE, e.kind());
        assertTrue(e.getMessage().contains("not an OCI image layout"), e.getMessage());
        assertEquals("{\"mine\": true}", Files.readString(dir.resolve("index.json")));
        // and through pack, before any registry is asked
        BeeException viaPack = assertThrows(BeeException.class, () -> builder(Duration.ofSeconds(1)).pack(
                request(ImageRef.parse("127.0.0.1:1/bee/base:1"), new ContainerImageBuilder.OciLayout(dir,
                        ImageRef.parse("probes/x-pod:v1")))));
        assertEquals(ErrorKind.USAGE, viaPack.kind(), viaPack.getMessage());
        assertEquals("{\"mine\": true}", Files.readString(dir.resolve("index.json")));

        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertFalse(ContainerImageBuilder.checkOciFolder(empty));
        assertFalse(ContainerImageBuilder.checkOciFolder(tmp.resolve("absent")));
        Path layout = Files.createDirectories(tmp.resolve("layout"));
        Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        Files.writeString(layout.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[]}");
        assertTrue(ContainerImageBuilder.checkOciFolder(layout));
    }

    @Test
    void partialOutputsOfEndedProcessesAreSweptAndLiveOnesKept() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        Path target = tmp.resolve("image.tar");
        Path dead = Files.createDirectories(tmp.resolve(".image.tar.bee-partial-" + p.pid() + "-x"));
        Files.writeString(dead.resolve("blob"), "half");
        Path live = PartialOutputs.folder(target);
        Path other = Files.createDirectories(tmp.resolve(".image.tar.bee-partial-notapid-x"));
        PartialOutputs.sweep(target);
        assertFalse(Files.exists(dead));
        assertTrue(Files.exists(live), "this process is running");
        assertTrue(Files.exists(other), "not named by bee: left alone");
    }

    @Test
    void jibColourCodesAndControlCharactersAreDropped() {
        assertEquals("Failed to connect: Unsupported or unrecognized SSL message",
                JibErrors.plain("\u001B[31;1mFailed to connect: Unsupported or unrecognized SSL message\u001B[0m"));
        assertFalse(JibErrors.plain("a\u0007\u001B]0;title\u0007b\u001B[2J").chars().anyMatch(Character::isISOControl));
    }

    private static List<Path> leftovers(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().contains(".bee-partial-")).toList();
        }
    }
}
