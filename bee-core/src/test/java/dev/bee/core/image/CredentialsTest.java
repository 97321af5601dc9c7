package dev.bee.core.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import dev.bee.core.image.Credentials.Credential;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Docker config.json credentials, always in a temp file passed explicitly (never the real home). */
class CredentialsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode read(Path f) throws IOException {
        return JSON.readTree(Files.readAllBytes(f));
    }

    @Test
    void saveFindRemoveRoundTrip() {
        Path f = dir.resolve("auth.json");
        Credential c = new Credential("alice", "s3cr:et \"é\"");
        Credentials.save(f, "localhost:5000", c);
        assertEquals(Optional.of(c), Credentials.find("localhost:5000", f));
        assertEquals(Optional.empty(), Credentials.find("other:5000", f));

        assertTrue(Credentials.remove(f, "localhost:5000"));
        assertEquals(Optional.empty(), Credentials.find("localhost:5000", f));
        assertFalse(Credentials.remove(f, "localhost:5000"), "nothing left to remove");
    }

    @Test
    void savedFileIsDockerFormatWithBase64Auth() throws IOException {
        Path f = dir.resolve("auth.json");
        Credentials.save(f, "ghcr.io", new Credential("bob", "pw"));
        JsonNode root = read(f);
        assertEquals(b64("bob:pw"), root.path("auths").path("ghcr.io").path("auth").asText());
        assertEquals(1, root.path("auths").size());
    }

    @Test
    void savedFileIsPrivateEvenWhenItWasReadableBefore() throws IOException {
        Path f = dir.resolve("config.json");
        Files.writeString(f, "{}");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        Credentials.save(f, "ghcr.io", new Credential("bob", "pw"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));

        Path fresh = dir.resolve("sub/dir/auth.json"); // folders are created
        Credentials.save(fresh, "ghcr.io", new Credential("bob", "pw"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh)));
    }

    @Test
    void saveAndRemoveKeepTheRestOfTheFile() throws IOException {
        Path f = dir.resolve("config.json");
        Files.writeString(f, """
                {"auths": {"quay.io": {"auth": "%s"}},
                 "credHelpers": {"gcr.io": "gcloud"},
                 "proxies": {"default": {"httpProxy": "http://proxy:3128"}},
                 "detachKeys": "ctrl-e,e"}
                """.formatted(b64("q:1")));
        Credentials.save(f, "localhost:5000", new Credential("alice", "pw"));
        JsonNode root = read(f);
        assertEquals(b64("q:1"), root.path("auths").path("quay.io").path("auth").asText());
        assertEquals("gcloud", root.path("credHelpers").path("gcr.io").asText());
        assertEquals("http://proxy:3128", root.path("proxies").path("default").path("httpProxy").asText());
        assertEquals("ctrl-e,e", root.path("detachKeys").asText());
        assertEquals(Optional.of(new Credential("q", "1")), Credentials.find("quay.io", f));
        assertTrue(Credentials.usesHelpers(f));

        assertTrue(Credentials.remove(f, "localhost:5000"));
        root = read(f);
        assertEquals(List.of("quay.io"), List.copyOf(iterable(root.path("auths").fieldNames())));
        assertEquals("ctrl-e,e", root.path("detachKeys").asText());
        assertEquals("gcloud", root.path("credHelpers").path("gcr.io").asText());
    }

    private static <T> List<T> iterable(java.util.Iterator<T> it) {
        List<T> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

    @Test
    void saveReplacesTheHostsPreviousCredential() {
        Path f = dir.resolve("auth.json");
        Credentials.save(f, "ghcr.io", new Credential("old", "1"));
        Credentials.save(f, "ghcr.io", new Credential("new", "2"));
        assertEquals(Optional.of(new Credential("new", "2")), Credentials.find("ghcr.io", f));
    }

    @Test
    void findsDockerStyleKeysAndPlainUsernamePassword() throws IOException {
        Path f = dir.resolve("config.json");
        Files.writeString(f, """
                {"auths": {
                  "https://index.docker.io/v1/": {"auth": "%s"},
                  "https://reg.example.com/v2/": {"username": "u", "password": "p"},
                  "http://insecure:5000": {"auth": "%s"}
                }}
                """.formatted(b64("hub:pw"), b64("i:pw")));
        assertEquals(Optional.of(new Credential("hub", "pw")), Credentials.find("docker.io", f));
        assertEquals(Optional.of(new Credential("u", "p")), Credentials.find("reg.example.com", f));
        assertEquals(Optional.of(new Credential("i", "pw")), Credentials.find("insecure:5000", f));
        assertFalse(Credentials.usesHelpers(f));

        assertTrue(Credentials.remove(f, "docker.io"), "Docker Hub's legacy key belongs to docker.io");
        assertEquals(Optional.empty(), Credentials.find("docker.io", f));
        assertEquals(Optional.of(new Credential("u", "p")), Credentials.find("reg.example.com", f));
    }

    @Test
    void missingFileFindsNothingAndRemoveDoesNotCreateIt() {
        Path f = dir.resolve("none.json");
        assertEquals(Optional.empty(), Credentials.find("ghcr.io", f));
        assertFalse(Credentials.remove(f, "ghcr.io"));
        assertFalse(Files.exists(f));
    }

    @Test
    void brokenFilesAreInputErrors() throws IOException {
        Path bad64 = dir.resolve("bad64.json");
        Files.writeString(bad64, "{\"auths\":{\"ghcr.io\":{\"auth\":\"%%%\"}}}");
        BeeException e = assertThrows(BeeException.class, () -> Credentials.find("ghcr.io", bad64));
        assertEquals(ErrorKind.INPUT, e.kind());
        assertEquals(bad64 + ": an 'auth' entry is not valid base64", e.getMessage());

        Path notJson = dir.resolve("broken.json");
        Files.writeString(notJson, "{\"auths\":");
        e = assertThrows(BeeException.class, () -> Credentials.find("ghcr.io", notJson));
        assertEquals(ErrorKind.INPUT, e.kind());
        assertTrue(e.getMessage().startsWith("cannot read credentials file " + notJson), e.getMessage());

        Path array = dir.resolve("array.json");
        Files.writeString(array, "[]");
        e = assertThrows(BeeException.class, () -> Credentials.save(array, "h", new Credential("u", "p")));
        assertEquals(array + " is not a JSON object", e.getMessage());
        assertEquals("[]", Files.readString(array), "a refused save leaves the file alone");
    }

    @Test
    void explicitConfigFileIsTheOnlyOneReadAndWritten() {
        Path f = dir.resolve("c.json");
        assertEquals(List.of(f), Credentials.lookupFiles(f));
        assertEquals(f, Credentials.writeFile(f));
    }

    @Test
    void serverOfAcceptsHostsUrlsAndReferences() {
        assertEquals("host:5000", Credentials.serverOf("https://host:5000/v2/"));
        assertEquals("host:5000", Credentials.serverOf("  http://host:5000  "));
        assertEquals("docker.io", Credentials.serverOf("index.docker.io"));
        assertEquals("docker.io", Credentials.serverOf("https://index.docker.io/v1/"));
        assertEquals("docker.io", Credentials.serverOf("registry-1.docker.io"));
        assertEquals("localhost:5000", Credentials.serverOf("localhost:5000/probes/x:v1"));
        assertEquals("ghcr.io", Credentials.serverOf("ghcr.io"));
    }

    @Test
    void serverOfWithoutAHostIsAUsageError() {
        for (String s : new String[]{"", "https://", "/path"}) {
            BeeException e = assertThrows(BeeException.class, () -> Credentials.serverOf(s));
            assertEquals(ErrorKind.USAGE, e.kind());
            assertEquals("no registry server in '" + s + "'", e.getMessage());
        }
    }

    @Test
    void credentialToStringHidesThePassword() {
        assertEquals("Credential[alice, ****]", new Credential("alice", "hunter2").toString());
    }
}
