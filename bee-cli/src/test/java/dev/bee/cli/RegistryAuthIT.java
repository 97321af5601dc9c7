package dev.bee.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bee.core.io.Json;
import dev.bee.core.testing.Examples;
import dev.bee.core.testing.RegistryServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** login, logout, and push/pull with credentials against a registry with htpasswd basic auth. */
class RegistryAuthIT {
    private static final String USER = "beetest";
    private static final String PASSWORD = "s3cret-Pa55";
    private static RegistryServer registry;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() {
        registry = RegistryServer.start(USER, PASSWORD);
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void wrongPasswordIsRefusedAndNothingIsSaved() {
        Path auth = tmp.resolve("auth.json");
        CliRun r = CliRun.of("login", registry.host(), "-u", USER, "-p", "wrong", "--plain-http",
                "--config", auth.toString());
        assertEquals(8, r.exitCode(), r.err());
        assertTrue(r.err().contains("refused the credentials"), r.err());
        assertTrue(r.err().contains("hint: "), r.err());
        assertFalse(Files.exists(auth));
    }

    @Test
    void aCredentialHelperThatCannotAnswerIsOneClearError(@TempDir Path tmp) throws Exception {
        // A credsStore naming a helper that is not installed, and no auths.
        Path auth = tmp.resolve("config.json");
        Files.writeString(auth, "{\"credsStore\": \"bee-test-nosuch\"}");
        CliRun pull = CliRun.of("pull", registry.host() + "/nothing/here:v1", "--storage", tmp.resolve("s").toString(),
                "--config", auth.toString());
        assertEquals(9, pull.exitCode(), pull.err());
        assertTrue(pull.err().contains("cannot get credentials for " + registry.host()
                + " from the credential helper named in"), pull.err());
        assertTrue(pull.err().contains("docker-credential-") || pull.err().contains("bee login"), pull.err());
        assertFalse(pull.err().contains("Exception"), pull.err());
    }

    /**
     * A Docker credential helper (credsStore) gives push and pull their credentials: bee runs
     * docker-credential-NAME get with the registry on its input, as Docker does; a helper that has none
     * for the registry ("credentials not found") means anonymous, not an error.
     */
    @Test
    void aCredentialHelperGivesPushAndPullTheirCredentials(@TempDir Path tmp) throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path helper = bin.resolve("docker-credential-beetest");
        Files.writeString(helper, """
                #!/bin/sh
                read -r server
                echo "$1 $server" >> "%s"
                if [ "$1" = get ] && [ "$server" = "%s" ]; then
                  echo '{"ServerURL":"%s","Username":"%s","Secret":"%s"}'; exit 0
                fi
                echo "credentials not found in native keychain"; exit 1
                """.formatted(tmp.resolve("calls"), registry.host(), registry.host(), USER, PASSWORD));
        Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path config = Files.writeString(tmp.resolve("config.json"), "{\"credsStore\": \"beetest\"}");
        Map<String, String> env = Map.of("PATH", bin + ":" + System.getenv("PATH"));
        Path store = tmp.resolve("store");
        String ref = registry.host() + "/private/helper:v1";
        assertEquals(0, CliRun.of("build", Examples.source("opensnoop").toString(), ref,
                "--output-file=" + tmp.resolve("h.o"), "--storage", store.toString()).exitCode());

        BeeProcess push = BeeProcess.start(env, "push", ref, "--storage", store.toString(), "--config", config.toString());
        push.waitFor(Duration.ofSeconds(60));
        assertEquals(0, push.exitCode(), push.err());
        BeeProcess pull = BeeProcess.start(env, "pull", ref, "--storage", tmp.resolve("other").toString(),
                "--config", config.toString());
        pull.waitFor(Duration.ofSeconds(60));
        assertEquals(0, pull.exitCode(), pull.err());
        assertEquals(push.out().trim(), pull.out().trim());
        assertTrue(Files.readString(tmp.resolve("calls")).contains("get " + registry.host()));

        // The helper has nothing for this registry: anonymous, so the registry's own refusal is the error.
        Path other = Files.writeString(tmp.resolve("other.json"), "{\"credHelpers\": {\"" + registry.host()
                + "\": \"beetest\"}}");
        Files.writeString(helper, "#!/bin/sh\necho 'credentials not found in native keychain'; exit 1\n");
        BeeProcess anonymous = BeeProcess.start(env, "pull", ref, "--storage", tmp.resolve("third").toString(),
                "--config", other.toString());
        anonymous.waitFor(Duration.ofSeconds(60));
        assertEquals(8, anonymous.exitCode(), anonymous.err());
        assertTrue(anonymous.err().contains("bee login"), anonymous.err());
    }

    @Test
    void aLoopbackRegistryNeedsNoPlainHttpToLogInPushAndPull() throws Exception {
        Path auth = tmp.resolve("auth.json");
        Path store = tmp.resolve("store");
        String ref = registry.host() + "/private/loopback:v1";
        assertEquals(0, CliRun.of("build", Examples.source("opensnoop").toString(), ref,
                "--output-file=" + tmp.resolve("o.o"), "--storage", store.toString()).exitCode());

        CliRun wrong = CliRun.of("login", registry.host(), "-u", USER, "-p", "wrong", "--config", auth.toString());
        assertEquals(8, wrong.exitCode(), wrong.err());
        assertTrue(wrong.err().contains("refused the credentials"), "the registry was reached: " + wrong.err());
        CliRun login = CliRun.of("login", registry.host(), "-u", USER, "-p", PASSWORD, "--config", auth.toString());
        assertEquals(0, login.exitCode(), login.err());

        CliRun push = CliRun.of("push", ref, "--storage", store.toString(), "--config", auth.toString());
        assertEquals(0, push.exitCode(), push.err());
        CliRun pull = CliRun.of("pull", ref, "--storage", tmp.resolve("other").toString(), "--config", auth.toString());
        assertEquals(0, pull.exitCode(), pull.err());
        assertEquals(push.out().trim(), pull.out().trim());
    }

    /** BumbleBee's -u/-p on push and pull: credentials for the one command, nothing saved. */
    @Test
    void credentialsOnTheCommandLineWorkForOneCommandAndAreNotSaved() throws Exception {
        Path auth = tmp.resolve("never.json");
        Path store = tmp.resolve("store-u");
        String ref = registry.host() + "/private/flags:v1";
        assertEquals(0, CliRun.of("build", Examples.source("opensnoop").toString(), ref,
                "--output-file=" + tmp.resolve("u.o"), "--storage", store.toString()).exitCode());
        CliRun anonymous = CliRun.of("push", ref, "--storage", store.toString(), "-c", auth.toString());
        assertEquals(8, anonymous.exitCode(), anonymous.err());
        CliRun push = CliRun.of("push", ref, "--storage", store.toString(), "-c", auth.toString(),
                "-u", USER, "-p", PASSWORD);
        assertEquals(0, push.exitCode(), push.err());
        CliRun pull = CliRun.of("pull", ref, "--storage", tmp.resolve("other-u").toString(), "-c", auth.toString(),
                "-u", USER, "-p", PASSWORD);
        assertEquals(0, pull.exitCode(), pull.err());
        assertEquals(push.out().trim(), pull.out().trim());
        assertFalse(Files.exists(auth), "-u/-p saved nothing");
        CliRun half = CliRun.of("pull", ref, "-u", USER);
        assertEquals(2, half.exitCode(), half.err());
    }

    @Test
    void loginPushPullLogout() throws Exception {
        Path auth = tmp.resolve("auth.json");
        Path store = tmp.resolve("store");
        String ref = registry.host() + "/private/opensnoop:v1";
        assertEquals(0, CliRun.of("build", Examples.source("opensnoop").toString(), ref,
                "--output-file=" + tmp.resolve("o.o"), "--storage", store.toString()).exitCode());

        CliRun anonymous = CliRun.of("push", ref, "--plain-http", "--storage", store.toString(),
                "--config", tmp.resolve("none.json").toString());
        assertEquals(8, anonymous.exitCode(), anonymous.err());
        assertTrue(anonymous.err().contains("requires authentication"), anonymous.err());
        assertTrue(anonymous.err().contains("bee login " + registry.host()), anonymous.err());

        InputStream oldIn = System.in;
        CliRun login;
        try {
            System.setIn(new ByteArrayInputStream((PASSWORD + "\n").getBytes(StandardCharsets.UTF_8)));
            login = CliRun.of("login", registry.host(), "-u", USER, "--password-stdin", "--plain-http",
                    "--config", auth.toString());
        } finally {
            System.setIn(oldIn);
        }
        assertEquals(0, login.exitCode(), login.err());
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(auth));
        JsonNode saved = Json.mapper().readTree(auth.toFile()).get("auths").get(registry.host());
        assertEquals(USER + ":" + PASSWORD, new String(Base64.getDecoder().decode(saved.get("auth").asText()),
                StandardCharsets.UTF_8));

        CliRun push = CliRun.of("push", ref, "--plain-http", "--storage", store.toString(), "--config", auth.toString());
        assertEquals(0, push.exitCode(), push.err());
        CliRun pull = CliRun.of("pull", ref, "--plain-http", "--storage", tmp.resolve("other").toString(),
                "--config", auth.toString());
        assertEquals(0, pull.exitCode(), pull.err());
        assertEquals(push.out().trim(), pull.out().trim());

        CliRun logout = CliRun.of("logout", registry.host(), "--config", auth.toString());
        assertEquals(0, logout.exitCode(), logout.err());
        assertFalse(Json.mapper().readTree(auth.toFile()).get("auths").has(registry.host()));
        CliRun after = CliRun.of("pull", ref, "--plain-http", "--storage", tmp.resolve("third").toString(),
                "--config", auth.toString());
        assertEquals(8, after.exitCode(), after.err());
        assertFalse(Files.exists(tmp.resolve("third").resolve("index.json")));
    }
}
