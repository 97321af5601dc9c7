package dev.bee.core.image.registry;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the JDK's HTTP client throws, as one-line errors with the right kind and what to do. */
class RegistryErrorsTest {
    private static final String ACTION = "pull localhost:5000/probe:v1";
    private static final String HOST = "localhost:5000";

    private static BeeException of(RuntimeException e) {
        return RegistryErrors.of(e, ACTION, HOST, false);
    }

    private static BeeException status(int code, String detail, boolean credentials) {
        return RegistryErrors.ofStatus(code, detail, ACTION, HOST, credentials, null);
    }

    @Test
    void beesOwnErrorsPassUnchanged() {
        BeeException e = new BeeException(ErrorKind.INPUT, "bad manifest");
        assertSame(e, of(e));
    }

    @Test
    void unauthorizedSaysWhetherCredentialsWereWrongOrMissing() {
        BeeException wrong = status(401, null, true);
        assertEquals(ErrorKind.PERMISSION, wrong.kind());
        assertEquals("cannot " + ACTION + ": localhost:5000 refused the credentials (401 unauthorized)",
                wrong.getMessage());
        assertTrue(wrong.hint().contains("bee login localhost:5000"), wrong.hint());
        BeeException missing = status(401, null, false);
        assertEquals(ErrorKind.PERMISSION, missing.kind());
        assertEquals("cannot " + ACTION + ": localhost:5000 requires authentication (401 unauthorized)",
                missing.getMessage());
        assertEquals("log in first: bee login localhost:5000", missing.hint());
    }

    @Test
    void eachStatusHasItsKindAndTheRegistrysDetail() {
        BeeException forbidden = status(403, "repository is private", false);
        assertEquals(ErrorKind.PERMISSION, forbidden.kind());
        assertEquals("cannot " + ACTION + ": localhost:5000 denied access (403 forbidden) (repository is private)",
                forbidden.getMessage());
        BeeException notFound = status(404, "manifest unknown", false);
        assertEquals(ErrorKind.NOT_FOUND, notFound.kind());
        assertEquals("cannot " + ACTION + ": not found in localhost:5000 (404) (manifest unknown)", notFound.getMessage());
        BeeException limited = status(429, " ", false);
        assertEquals(ErrorKind.REGISTRY, limited.kind());
        assertEquals("cannot " + ACTION + ": localhost:5000 is rate-limiting requests (429)", limited.getMessage(),
                "a blank detail is left out");
        BeeException down = status(503, null, false);
        assertEquals(ErrorKind.REGISTRY, down.kind());
        assertEquals("cannot " + ACTION + ": localhost:5000 failed with HTTP 503", down.getMessage());
        assertEquals("the registry has a problem; try again later", down.hint());
        BeeException teapot = status(418, null, false);
        assertEquals(ErrorKind.REGISTRY, teapot.kind());
        assertEquals("cannot " + ACTION + ": localhost:5000 answered HTTP 418", teapot.getMessage());
        assertNull(teapot.hint());
    }

    @Test
    void aRegistryThatIsDownIsUnreachable() {
        String unreachable = "cannot " + ACTION + ": registry localhost:5000 is unreachable (connection refused)";
        assertEquals(unreachable, of(new UncheckedIOException(new ConnectException("Connection refused"))).getMessage());
        assertEquals(unreachable, of(new RuntimeException("x", new ClosedChannelException())).getMessage());
        ConnectException deep = new ConnectException("refused");
        deep.initCause(new IOException("socket"));
        assertEquals(unreachable, of(new RuntimeException(deep)).getMessage(), "a connect failure anywhere in the chain");
        assertEquals(ErrorKind.REGISTRY, of(new RuntimeException(deep)).kind());
    }

    @Test
    void transportFailuresSayWhatFailed() {
        assertEquals("cannot " + ACTION + ": unknown registry host localhost:5000",
                of(new UncheckedIOException(new UnknownHostException("localhost"))).getMessage());
        assertEquals("cannot " + ACTION + ": registry localhost:5000 did not answer in time",
                of(new UncheckedIOException(new java.net.SocketTimeoutException("Read timed out"))).getMessage());
        BeeException tls = of(new UncheckedIOException(new SSLHandshakeException("plaintext connection?")));
        assertEquals("cannot " + ACTION + ": TLS with localhost:5000 failed: plaintext connection?", tls.getMessage());
        assertTrue(tls.hint().contains("--plain-http") && tls.hint().contains("--insecure"), tls.hint());
        assertEquals("cannot " + ACTION + ": connection to localhost:5000 failed: stream reset",
                of(new UncheckedIOException(new IOException("stream reset"))).getMessage());
        assertEquals("cannot " + ACTION + ": connection to localhost:5000 failed: EOFException",
                of(new UncheckedIOException(new java.io.EOFException())).getMessage(), "no message: the class");
    }

    @Test
    void anythingElseKeepsItsMessage() {
        BeeException b = of(new IllegalStateException("no manifest"));
        assertEquals(ErrorKind.REGISTRY, b.kind());
        assertEquals("cannot " + ACTION + ": no manifest", b.getMessage());
        assertEquals("cannot " + ACTION + ": java.lang.IllegalStateException",
                of(new IllegalStateException()).getMessage());
    }
}
