package dev.bee.core.image.registry;

import dev.bee.core.image.RegistryOptions;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;

/**
 * JDK HTTP clients for the requests bee makes to registries itself, outside oras-java (the login check,
 * the TLS probe of loopback registries), configured as the user asked: {@code --insecure} trusts any
 * certificate.
 */
final class HttpClients {
    private HttpClients() {
    }

    static HttpClient of(RegistryOptions options, Duration connectTimeout) {
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NORMAL);
        if (options.insecure()) {
            try {
                SSLContext ctx = SSLContext.getInstance("TLS");
                ctx.init(null, new TrustManager[]{new TrustAll()}, null);
                b.sslContext(ctx);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
        return b.build();
    }

    /** For --insecure only: the user asked to accept any certificate. */
    private static final class TrustAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
