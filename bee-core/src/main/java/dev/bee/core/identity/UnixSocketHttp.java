package dev.bee.core.identity;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * One HTTP/1.1 GET over a unix domain socket (the JDK's {@code UnixDomainSocketAddress}), as the Docker
 * and podman APIs are served: {@code Connection: close}, read to the close, then a body by length,
 * chunked or up to the close.
 * Bounded in time (one deadline for the whole exchange, on a non-blocking channel) and in size.
 */
final class UnixSocketHttp {
    /** The status and body of one answer. */
    record Response(int status, byte[] body) {
    }

    private final Path socket;
    private final Duration timeout;
    private final int maxBytes;

    UnixSocketHttp(Path socket, Duration timeout, int maxBytes) {
        this.socket = socket;
        this.timeout = timeout;
        this.maxBytes = maxBytes;
    }

    Path socket() {
        return socket;
    }

    Response get(String pathAndQuery) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket));
             Selector sel = Selector.open()) {
            ch.configureBlocking(false);
            ch.register(sel, SelectionKey.OP_READ);
            ByteBuffer req = ByteBuffer.wrap(("GET " + pathAndQuery + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "User-Agent: bee\r\nAccept: application/json\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            while (req.hasRemaining()) {
                if (ch.write(req) == 0) {
                    waitFor(sel, deadline);
                }
            }
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(16 * 1024);
            while (true) {
                buf.clear();
                int n = ch.read(buf);
                if (n < 0) {
                    break;
                }
                if (n == 0) {
                    waitFor(sel, deadline);
                    continue;
                }
                if (raw.size() + n > maxBytes) {
                    throw new IOException("the answer is longer than " + maxBytes + " bytes");
                }
                raw.write(buf.array(), 0, n);
            }
            Response r = parse(raw.toByteArray(), true);
            if (r == null) {
                throw new IOException("the connection closed before a whole answer");
            }
            return r;
        }
    }

    private static void waitFor(Selector sel, long deadline) throws IOException {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
            throw new SocketTimeoutException("no answer in time");
        }
        sel.select(left);
        sel.selectedKeys().clear();
    }

    /** Parses an answer; {@code closed}: the peer closed, so a body without a length ends here. */
    static Response parse(byte[] raw, boolean closed) throws IOException {
        int headEnd = indexOf(raw, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 0);
        if (headEnd < 0) {
            return null;
        }
        String[] head = new String(raw, 0, headEnd, StandardCharsets.ISO_8859_1).split("\r\n");
        String[] status = head[0].split(" ", 3);
        if (status.length < 2 || !status[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP answer: " + head[0]);
        }
        int code;
        try {
            code = Integer.parseInt(status[1]);
        } catch (NumberFormatException e) {
            throw new IOException("not an HTTP status: " + head[0]);
        }
        long length = -1;
        boolean chunked = false;
        for (int i = 1; i < head.length; i++) {
            int c = head[i].indexOf(':');
            if (c < 0) {
                continue;
            }
            String name = head[i].substring(0, c).trim().toLowerCase(Locale.ROOT);
            String value = head[i].substring(c + 1).trim();
            if (name.equals("content-length")) {
                try {
                    length = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    throw new IOException("bad Content-Length: " + value);
                }
            } else if (name.equals("transfer-encoding") && value.toLowerCase(Locale.ROOT).contains("chunked")) {
                chunked = true;
            }
        }
        int bodyAt = headEnd + 4;
        if (chunked) {
            return dechunk(code, raw, bodyAt, closed);
        }
        if (length >= 0) {
            if (raw.length - bodyAt < length) {
                return null;
            }
            byte[] body = new byte[(int) length];
            System.arraycopy(raw, bodyAt, body, 0, body.length);
            return new Response(code, body);
        }
        if (code == 204 || code == 304) {
            return new Response(code, new byte[0]);
        }
        if (!closed) {
            return null;
        }
        byte[] body = new byte[raw.length - bodyAt];
        System.arraycopy(raw, bodyAt, body, 0, body.length);
        return new Response(code, body);
    }

    private static Response dechunk(int code, byte[] raw, int at, boolean closed) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int p = at;
        while (true) {
            int eol = indexOf(raw, new byte[]{'\r', '\n'}, p);
            if (eol < 0) {
                return incomplete(closed);
            }
            String size = new String(raw, p, eol - p, StandardCharsets.US_ASCII);
            int semi = size.indexOf(';');
            long n;
            try {
                n = Long.parseLong((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
            } catch (NumberFormatException e) {
                throw new IOException("bad chunk size: " + size);
            }
            if (n < 0 || n > raw.length) {
                throw new IOException("bad chunk size: " + size);
            }
            p = eol + 2;
            if (n == 0) {
                return new Response(code, body.toByteArray());
            }
            if (raw.length < p + n + 2) {
                return incomplete(closed);
            }
            body.write(raw, p, (int) n);
            p += (int) n + 2;
        }
    }

    private static Response incomplete(boolean closed) throws IOException {
        if (closed) {
            throw new IOException("the connection closed inside a chunked body");
        }
        return null;
    }

    private static int indexOf(byte[] a, byte[] what, int from) {
        outer:
        for (int i = from; i <= a.length - what.length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (a[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
