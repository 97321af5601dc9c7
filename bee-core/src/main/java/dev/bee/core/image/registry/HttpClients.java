package dev.bee.core.image.registry;

import dev.bee.core.image.RegistryOptions;

import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.Socket;
import java.net.URL;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;

/**
 * Connections for every request bee makes to registries (push, pull, the login check, the TLS probe of
 * loopback registries), on the JDK's {@link HttpURLConnection}: it starts in a few milliseconds where the
 * {@code java.net.http} client sets up TLS, a selector thread and an executor first (about 0.3 s of what
 * was a 0.8 s push), and a plain HTTP request touches no TLS at all.
 * Configured as the user asked: {@code --insecure} trusts any certificate and any host name. No proxy and
 * no cookies, redirects left to the caller, as oras-java's client had them.
 */
final class HttpClients {
    private static volatile SSLSocketFactory trustAll;

    private HttpClients() {
    }

    /**
     * An unopened connection to {@code url} that waits at most {@code connect} for the connection and
     * {@code read} for each answer or block of bytes.
     */
    static HttpURLConnection open(URL url, RegistryOptions options, Duration connect, Duration read) throws IOException {
        HttpURLConnection c = (HttpURLConnection) url.openConnection(Proxy.NO_PROXY);
        c.setConnectTimeout(millis(connect));
        c.setReadTimeout(millis(read));
        c.setInstanceFollowRedirects(false);
        c.setUseCaches(false);
        if (options.insecure() && c instanceof HttpsURLConnection https) {
            https.setSSLSocketFactory(trustAll());
            https.setHostnameVerifier(ANY_HOST);
        }
        return c;
    }

    private static int millis(Duration d) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis()));
    }

    private static SSLSocketFactory trustAll() {
        SSLSocketFactory f = trustAll;
        if (f == null) {
            try {
                SSLContext ctx = SSLContext.getInstance("TLS");
                ctx.init(null, new TrustManager[]{new TrustAll()}, null);
                trustAll = f = ctx.getSocketFactory();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
        return f;
    }

    /** For --insecure only: the user asked to accept any certificate, for any name. */
    private static final HostnameVerifier ANY_HOST = (host, session) -> true;

    /** For --insecure only. Extended, so that the JDK adds no host name check of its own. */
    private static final class TrustAll extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
