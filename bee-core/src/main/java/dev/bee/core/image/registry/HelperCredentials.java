package dev.bee.core.image.registry;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import dev.bee.core.image.Credentials;
import dev.bee.core.image.ImageRef;
import dev.bee.core.image.RegistryOptions;
import dev.bee.core.io.JsonTree;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Credentials from Docker credential helpers ({@code credHelpers} and {@code credsStore} in the credential
 * files), by Docker's protocol: {@code docker-credential-NAME get} reads the registry on its standard input
 * and prints {@code {"Username": ..., "Secret": ...}}, or says "credentials not found" and exits 1. Run only
 * when a file names a helper; bounded in time and output, since a helper is another program.
 *
 * <p>bee's own call rather than oras-java's {@code AuthStore}: those 39 lines brought oras-java's whole tree
 * (BouncyCastle, zstd-jni, Jackson 3 databind, Caffeine, Micrometer, commons-compress), 22 of bee.jar's
 * 40 MB.
 */
public final class HelperCredentials {
    /** A helper that asks the user (a keychain prompt) gets this long; one that hangs ends with an error. */
    static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final int MAX_OUTPUT = 64 * 1024;
    /** Docker's own helpers are named docker-credential-NAME; a name is not a path or an option. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private HelperCredentials() {
    }

    /**
     * The credentials for {@code host} in bee's order: given for this command ({@code -u/-p}), then the
     * credential files' {@code auths}, then the helper a file names for it; empty when none has any.
     */
    public static Optional<Credentials.Credential> forRegistry(String host, RegistryOptions options) {
        if (options.login() != null) {
            return Optional.of(options.login());
        }
        Optional<Credentials.Credential> stored = Credentials.find(host, options.authFile());
        if (stored.isPresent() || !Credentials.usesHelpers(options.authFile())) {
            return stored;
        }
        return credential(Credentials.lookupFiles(options.authFile()).stream().filter(Files::isRegularFile).toList(),
                host);
    }

    /**
     * The Basic Authorization header for {@code ref}'s registry from the helpers {@code files} name, or null
     * when no helper has credentials for it.
     */
    static String authorization(List<Path> files, ImageRef ref) {
        return credential(files, ref.domain()).map(c -> "Basic " + Base64.getEncoder().encodeToString(
                (c.username() + ":" + c.password()).getBytes(StandardCharsets.UTF_8))).orElse(null);
    }

    /**
     * The credentials the helper for {@code host} gives: the first file with a {@code credHelpers} entry for it,
     * else the first with a {@code credsStore}, as Docker chooses. A helper that cannot run or fails is one
     * clear error.
     */
    static Optional<Credentials.Credential> credential(List<Path> files, String host) {
        String helper = null;
        String server = null;
        Path file = null;
        for (Path f : files) {
            Object root = readJson(f);
            Object helpers = JsonTree.get(root, "credHelpers");
            for (String key : Credentials.keysFor(host)) {
                String named = JsonTree.text(JsonTree.get(helpers, key), "");
                if (helper == null && !named.isEmpty()) {
                    helper = named;
                    server = key;
                    file = f;
                }
            }
        }
        for (Path f : files) {
            String store = JsonTree.text(JsonTree.get(readJson(f), "credsStore"), "");
            if (helper == null && !store.isEmpty()) {
                helper = store;
                server = host.equals(ImageRef.DOCKER_HUB) ? "https://index.docker.io/v1/" : host;
                file = f;
            }
        }
        if (helper == null) {
            return Optional.empty();
        }
        return run(helper, server, host, file);
    }

    private static Optional<Credentials.Credential> run(String helper, String server, String host, Path file) {
        String program = "docker-credential-" + helper;
        if (!NAME.matcher(helper).matches()) {
            throw failed(host, file, "'" + helper + "' is not a helper name", null);
        }
        Process p;
        try {
            p = new ProcessBuilder(program, "get").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw failed(host, file, program + " is not installed or cannot run", e);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> readBounded(p.getInputStream(), out), "bee-credential-helper");
        reader.setDaemon(true);
        reader.start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(server.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // A helper that exits without reading its input says why on its output.
        }
        try {
            if (!p.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw failed(host, file, program + " did not answer within " + TIMEOUT.toSeconds() + "s", null);
            }
            reader.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw failed(host, file, "interrupted", e);
        }
        String text;
        synchronized (out) {
            text = out.toString(StandardCharsets.UTF_8).trim();
        }
        if (p.exitValue() != 0) {
            if (text.toLowerCase(java.util.Locale.ROOT).contains("credentials not found")) {
                return Optional.empty();
            }
            String first = text.lines().findFirst().orElse("").trim();
            throw failed(host, file, program + " failed (exit " + p.exitValue() + (first.isEmpty() ? "" : ": "
                    + first.substring(0, Math.min(first.length(), 200))) + ")", null);
        }
        try {
            Object answer = JsonTree.parse(text.getBytes(StandardCharsets.UTF_8));
            String user = JsonTree.text(JsonTree.get(answer, "Username"), "");
            String secret = JsonTree.text(JsonTree.get(answer, "Secret"), "");
            return user.isEmpty() && secret.isEmpty() ? Optional.empty()
                    : Optional.of(new Credentials.Credential(user, secret));
        } catch (IOException | RuntimeException e) {
            throw failed(host, file, program + " answered something that is not its JSON", e);
        }
    }

    private static void readBounded(InputStream in, ByteArrayOutputStream out) {
        byte[] buf = new byte[4096];
        try (in) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                synchronized (out) {
                    if (out.size() + n > MAX_OUTPUT) {
                        return; // the rest is not a credential; the JSON check fails on what is kept
                    }
                    out.write(buf, 0, n);
                }
            }
        } catch (IOException e) {
            // the process ended; what was read is judged by the caller
        }
    }

    private static Object readJson(Path f) {
        try {
            return JsonTree.parse(Files.readAllBytes(f));
        } catch (IOException | RuntimeException e) {
            return null; // Credentials.find has read (and judged) the same file already
        }
    }

    private static BeeException failed(String host, Path file, String detail, Throwable cause) {
        return new BeeException(ErrorKind.ENVIRONMENT, "cannot get credentials for " + host
                + " from the credential helper named in " + file + ": " + detail,
                "check its credsStore/credHelpers entries and that docker-credential-<helper> runs, "
                        + "or log in with bee login " + host, cause);
    }
}
