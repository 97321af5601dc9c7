package dev.bee.cli;

import dev.bee.core.testing.RegistryServer;
import dev.bee.core.testing.Requirements;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * bee run's metrics endpoint under hostile clients, over real sockets: slow clients that send a header
 * byte at a time, idle connections, POSTs that announce a 1 GB body and send none of it, and 500
 * scrapers at once. Every scrape is answered within a second; refused requests get 405 or 413 at once,
 * without the body being waited for, and slow or silent connections are closed by the server.
 */
class MetricsEndpointIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(40);

    @BeforeAll
    static void requirements() {
        Requirements.requireRoot();
        Requirements.requireKernelBtf();
        Requirements.requireTool("clang");
    }

    private static BeeProcess run(int port) {
        BeeProcess bee = BeeProcess.start("run", TestObjects.object("metrics").toString(), "--no-tty",
                "--prom-address", "127.0.0.1", "--prom-port", Integer.toString(port));
        bee.awaitAttached(TIMEOUT);
        return bee;
    }

    private static Socket connect(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
        return s;
    }

    /** One GET of /metrics on a new connection: the status line, or an error. */
    private static String scrape(int port) throws IOException {
        try (Socket s = connect(port)) {
            s.setSoTimeout(1000);
            s.getOutputStream().write(("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] all = s.getInputStream().readAllBytes();
            String answer = new String(all, StandardCharsets.ISO_8859_1);
            if (!answer.contains("\n# TYPE ")) {
                throw new IOException("no metrics in: " + answer.lines().findFirst().orElse("(nothing)"));
            }
            return answer.substring(0, answer.indexOf("\r\n"));
        }
    }

    /** The status line of what {@code port} answers to {@code request}, read without sending anything more. */
    private static String answer(int port, String request) throws IOException {
        try (Socket s = connect(port)) {
            s.setSoTimeout(1000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            byte[] b = new byte[256];
            int n = s.getInputStream().read(b);
            return n <= 0 ? "(nothing)" : new String(b, 0, n, StandardCharsets.ISO_8859_1).lines().findFirst().orElse("");
        }
    }

    /**
     * 20 connections that send a header byte every 200 ms, 20 that send nothing and 10 POSTs of a 1 GB body
     * that send a byte of it every 200 ms, each opened again when the server closes it, until {@code stop}.
     */
    private static List<Thread> attackers(int port, AtomicBoolean stop, ConcurrentLinkedQueue<String> closed) {
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            int kind = i % 5; // 0, 1: slow headers; 2, 3: idle; 4: a slow 1 GB body
            Thread t = new Thread(() -> {
                while (!stop.get()) {
                    try (Socket s = connect(port)) {
                        OutputStream o = s.getOutputStream();
                        String head = kind == 4 ? "POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000000\r\n\r\n"
                                : "GET /metrics HTTP/1.1\r\nHost: x\r\nX-Slow: ";
                        long opened = System.nanoTime();
                        if (kind != 2 && kind != 3) {
                            o.write(head.getBytes(StandardCharsets.US_ASCII));
                        }
                        s.setSoTimeout(200);
                        while (!stop.get()) {
                            try {
                                if (s.getInputStream().read() < 0) {
                                    break;
                                }
                            } catch (SocketTimeoutException e) {
                                // nothing from the server: drip on
                            }
                            if (kind != 2 && kind != 3) {
                                o.write('a');
                                o.flush();
                            }
                        }
                        if (!stop.get()) {
                            closed.add(kind + ":" + (System.nanoTime() - opened) / 1_000_000);
                        }
                    } catch (IOException e) {
                        if (!stop.get()) {
                            closed.add(kind + ":" + e.getClass().getSimpleName());
                        }
                    }
                }
            });
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
        return threads;
    }

    @Test
    void fiveHundredScrapesAreAnsweredWithinASecondBesideFiftySlowAndIdleConnections() throws Exception {
        int port = RegistryServer.freePort();
        try (BeeProcess bee = run(port)) {
            for (int i = 0; i < 200; i++) {
                scrape(port); // the JIT warms up as it would over a run's first scrapes
            }
            AtomicBoolean stop = new AtomicBoolean();
            ConcurrentLinkedQueue<String> closed = new ConcurrentLinkedQueue<>();
            List<Thread> attackers = attackers(port, stop, closed);
            try {
                Thread.sleep(1500); // every attacker holds its connection
                CountDownLatch go = new CountDownLatch(1);
                ConcurrentLinkedQueue<String> slow = new ConcurrentLinkedQueue<>();
                ConcurrentLinkedQueue<String> ok = new ConcurrentLinkedQueue<>();
                List<Thread> scrapers = new ArrayList<>();
                for (int i = 0; i < 500; i++) {
                    Thread t = new Thread(() -> {
                        try {
                            go.await();
                            long start = System.nanoTime();
                            String status = scrape(port);
                            long ms = (System.nanoTime() - start) / 1_000_000;
                            (status.equals("HTTP/1.1 200 OK") && ms < 1000 ? ok : slow).add(status + " in " + ms + " ms");
                        } catch (Exception e) {
                            slow.add(e.toString());
                        }
                    });
                    t.start();
                    scrapers.add(t);
                }
                go.countDown();
                for (Thread t : scrapers) {
                    t.join(10_000);
                }
                assertEquals(List.of(), List.copyOf(slow), ok.size() + " scrapes within a second; " + bee.err());
                assertEquals(500, ok.size());
            } finally {
                stop.set(true);
                for (Thread t : attackers) {
                    t.join(2000);
                }
            }
            // The server closed slow and silent connections itself (after about 2 s), over and over.
            for (String kind : new String[]{"0:", "2:", "4:"}) {
                assertTrue(closed.stream().anyMatch(c -> c.startsWith(kind)), kind + " " + closed);
            }
            assertTrue(closed.stream().filter(c -> !c.contains("Exception")).map(c -> Long.parseLong(c.substring(2)))
                    .allMatch(ms -> ms < 4000), "closed within 4 s: " + closed);
            bee.signal("INT");
            assertEquals(0, bee.waitFor(TIMEOUT), bee.err());
        }
    }

    @Test
    void requestsOtherThanAScrapeAreRefusedWithoutReadingTheirBody() throws Exception {
        int port = RegistryServer.freePort();
        try (BeeProcess bee = run(port)) {
            // Announced, never sent: an answer that waited for the body would never come.
            assertEquals("HTTP/1.1 405 Method Not Allowed", answer(port,
                    "POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000000\r\n\r\n"));
            assertEquals("HTTP/1.1 405 Method Not Allowed", answer(port, "PUT / HTTP/1.1\r\nHost: x\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n"));
            assertEquals("HTTP/1.1 405 Method Not Allowed", answer(port, "DELETE /metrics HTTP/1.1\r\nHost: x\r\n\r\n"));
            assertEquals("HTTP/1.1 413 Request Entity Too Large", answer(port,
                    "GET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000000\r\n\r\n"));
            // A refused request's connection is closed, not kept to drain the body.
            try (Socket s = connect(port)) {
                s.setSoTimeout(4000);
                s.getOutputStream().write("POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000000\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                InputStream in = s.getInputStream();
                long start = System.nanoTime();
                try {
                    while (in.read() >= 0) {
                        // the answer, then the end
                    }
                } catch (SocketException e) {
                    // reset: closed too
                }
                assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(4), "the connection was closed");
            }
            assertEquals("HTTP/1.1 200 OK", scrape(port));
            assertEquals("HTTP/1.1 200 OK", answer(port, "HEAD /metrics HTTP/1.1\r\nHost: x\r\n\r\n"));
            bee.signal("INT");
            assertEquals(0, bee.waitFor(TIMEOUT), bee.err());
        }
    }
}
