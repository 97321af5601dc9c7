package dev.bee.core.image.registry;

import dev.bee.core.image.RegistryOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.HttpURLConnection;
import java.net.URL;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Whether bee reaches a registry over HTTPS or plain HTTP. HTTPS unless {@code --plain-http} asks for
 * HTTP; but a loopback registry ({@code localhost}, {@code 127.0.0.0/8}, {@code [::1]}) works without the
 * flag, as Docker treats those as insecure registries by default: bee tries TLS first, and uses plain
 * HTTP only when TLS fails and the registry answers its API ({@code GET /v2/}: 200 or 401) over HTTP.
 * Any other host never falls back: a registry that is reached over the network and suddenly speaks
 * plain HTTP may be someone else, so that takes the user's word.
 */
public final class RegistryTransport {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryTransport.class);
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]+");
    /** A registry on this machine answers at once; one that does not is not worth a longer wait. */
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private RegistryTransport() {
    }

    /** {@code options}, with plain HTTP turned on when {@code host} is a loopback registry without TLS. */
    public static RegistryOptions resolve(String host, RegistryOptions options) {
        if (!mayFallBack(host, options)) {
            return options;
        }
        try {
            status(options, "https://" + host + "/v2/");
            return options; // it speaks TLS, whatever it answered
        } catch (IOException e) {
            if (refused(e)) {
                return options; // nothing listens: the request itself says so
            }
            LOG.debug("TLS with loopback registry {} failed ({}); trying plain HTTP", host, e.toString());
        }
        try {
            int status = status(options, "http://" + host + "/v2/");
            if (status == 200 || status == 401) {
                LOG.debug("loopback registry {} speaks plain HTTP; using it", host);
                return options.withPlainHttp(true);
            }
            LOG.debug("loopback registry {} answered plain HTTP with {}; staying with TLS", host, status);
        } catch (IOException e) {
            LOG.debug("plain HTTP with loopback registry {} failed too ({})", host, e.toString());
        }
        return options; // the TLS error, with its hint, comes from the request itself
    }

    /** Whether bee may try plain HTTP with {@code host} although {@code --plain-http} was not given. */
    static boolean mayFallBack(String host, RegistryOptions options) {
        return !options.plainHttp() && isLoopback(host);
    }

    /**
     * Whether {@code host} (with or without a port) names this machine's loopback: {@code localhost}, an
     * IPv4 address in {@code 127.0.0.0/8}, or {@code [::1]}. Names are not resolved: a name that only
     * resolves to a loopback address could resolve elsewhere tomorrow.
     */
    static boolean isLoopback(String host) {
        String h = hostPart(host).toLowerCase(Locale.ROOT);
        if (h.equals("localhost")) {
            return true;
        }
        var v4 = IPV4.matcher(h);
        if (v4.matches()) {
            for (int i = 1; i <= 4; i++) {
                if (Integer.parseInt(v4.group(i)) > 255) {
                    return false;
                }
            }
            return v4.group(1).equals("127");
        }
        if (h.startsWith("[") && h.endsWith("]") && IPV6.matcher(h.substring(1, h.length() - 1)).matches()) {
            try {
                // A literal (checked above), so this parses and looks nothing up.
                return InetAddress.getByName(h.substring(1, h.length() - 1)).isLoopbackAddress();
            } catch (UnknownHostException e) {
                return false;
            }
        }
        return false;
    }

    /** {@code host} without its port: {@code [::1]:5000} gives {@code [::1]}, {@code localhost:5000} {@code localhost}. */
    private static String hostPart(String host) {
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            return end < 0 ? host : host.substring(0, end + 1);
        }
        int colon = host.indexOf(':');
        return colon < 0 ? host : host.substring(0, colon);
    }

    private static int status(RegistryOptions options, String url) throws IOException {
        // Never longer than --timeout: a stalling registry must fail within the limit the user gave.
        Duration limit = options.timeout().compareTo(TIMEOUT) < 0 ? options.timeout() : TIMEOUT;
        HttpURLConnection c = HttpClients.open(new URL(url), options, limit, limit);
        try {
            return c.getResponseCode();
        } finally {
            c.disconnect();
        }
    }

    private static boolean refused(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectException) {
                return true;
            }
        }
        return false;
    }
}
