package dev.bee.core.image;

import dev.bee.core.BeeException;
import dev.bee.core.BeeHome;
import dev.bee.core.ErrorKind;
import dev.bee.core.io.AtomicFiles;
import dev.bee.core.io.JsonTree;
import dev.bee.core.io.WriteError;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Registry credentials in Docker's {@code config.json} format ({@code {"auths":{"HOST":{"auth":
 * base64(user:password)}}}}). {@code bee login} writes bee's own file ({@code ~/.bee/auth.json}, mode
 * 0600) or the {@code --config} file; lookups read that file, then Docker's
 * ({@code $DOCKER_CONFIG/config.json}, else {@code ~/.docker/config.json}).
 */
public final class Credentials {
    public record Credential(String username, String password) {
        @Override
        public String toString() {
            return "Credential[" + username + ", ****]";
        }
    }

    private Credentials() {
    }

    public static Path beeFile() {
        return BeeHome.root().resolve("auth.json");
    }

    public static Path dockerFile() {
        String dc = System.getenv("DOCKER_CONFIG");
        if (dc != null && !dc.isBlank()) {
            return Path.of(dc, "config.json");
        }
        return Path.of(System.getProperty("user.home"), ".docker", "config.json");
    }

    /** The files read for credentials, in order. */
    public static List<Path> lookupFiles(Path configFile) {
        return configFile != null ? List.of(configFile) : List.of(beeFile(), dockerFile());
    }

    /** The file {@code bee login} writes and {@code bee logout} edits. */
    public static Path writeFile(Path configFile) {
        return configFile != null ? configFile : beeFile();
    }

    /** Credentials for {@code host} from the first file that has them. */
    public static Optional<Credential> find(String host, Path configFile) {
        for (Path f : lookupFiles(configFile)) {
            Object root = read(f);
            if (root == null) {
                continue;
            }
            Object auths = JsonTree.get(root, "auths");
            for (String key : keysFor(host)) {
                Object entry = JsonTree.get(auths, key);
                if (entry != null) {
                    Optional<Credential> c = decode(entry, f);
                    if (c.isPresent()) {
                        return c;
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** Whether any lookup file names a credential helper (credHelpers or credsStore). */
    public static boolean usesHelpers(Path configFile) {
        for (Path f : lookupFiles(configFile)) {
            Object root = read(f);
            if (root != null && (JsonTree.has(root, "credsStore") || JsonTree.has(root, "credHelpers"))) {
                return true;
            }
        }
        return false;
    }

    /** The keys a credential file may file {@code host} under (Docker writes several forms). */
    public static List<String> keysFor(String host) {
        List<String> keys = new ArrayList<>(List.of(host, "https://" + host, "http://" + host, "https://" + host + "/v1/",
                "https://" + host + "/v2/"));
        if (host.equals(ImageRef.DOCKER_HUB)) {
            keys.add("https://index.docker.io/v1/");
            keys.add("index.docker.io");
            keys.add("registry-1.docker.io");
        }
        return keys;
    }

    private static Optional<Credential> decode(Object entry, Path file) {
        String auth = JsonTree.text(JsonTree.get(entry, "auth"), "");
        if (!auth.isEmpty()) {
            try {
                String s = new String(Base64.getDecoder().decode(auth.trim()), StandardCharsets.UTF_8);
                int colon = s.indexOf(':');
                if (colon > 0) {
                    return Optional.of(new Credential(s.substring(0, colon), s.substring(colon + 1)));
                }
            } catch (IllegalArgumentException e) {
                throw new BeeException(ErrorKind.INPUT, file + ": an 'auth' entry is not valid base64",
                        "log in again with 'bee login'");
            }
        }
        String user = JsonTree.text(JsonTree.get(entry, "username"), "");
        String pass = JsonTree.text(JsonTree.get(entry, "password"), "");
        return user.isEmpty() ? Optional.empty() : Optional.of(new Credential(user, pass));
    }

    /** The JSON in {@code f} ({@link JsonTree#MISSING} when it is empty), or null when there is no such file. */
    private static Object read(Path f) {
        if (!Files.isRegularFile(f)) {
            return null;
        }
        try {
            return JsonTree.parse(Files.readAllBytes(f));
        } catch (IOException e) {
            throw new BeeException(ErrorKind.INPUT, "cannot read credentials file " + f + ": "
                    + e.getMessage().lines().findFirst().orElse(""), "fix or remove the file", e);
        }
    }

    /** Saves credentials for {@code host} into {@code file} (mode 0600), keeping its other content. */
    public static void save(Path file, String host, Credential c) {
        Map<String, Object> root = editable(file);
        Map<String, Object> auths = JsonTree.object(root.get("auths"));
        if (auths == null) {
            auths = new LinkedHashMap<>();
            root.put("auths", auths);
        }
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("auth", Base64.getEncoder().encodeToString((c.username() + ":" + c.password())
                .getBytes(StandardCharsets.UTF_8)));
        auths.put(host, entry);
        write(file, root);
    }

    /** Removes {@code host}'s credentials from {@code file}; false if there were none. */
    public static boolean remove(Path file, String host) {
        Map<String, Object> root = editable(file);
        Map<String, Object> auths = JsonTree.object(root.get("auths"));
        if (auths == null) {
            return false;
        }
        boolean removed = false;
        for (Iterator<Map.Entry<String, Object>> it = auths.entrySet().iterator(); it.hasNext(); ) {
            if (keysFor(host).contains(it.next().getKey())) {
                it.remove();
                removed = true;
            }
        }
        if (removed) {
            write(file, root);
        }
        return removed;
    }

    private static Map<String, Object> editable(Path file) {
        Object n = read(file);
        if (n == null) {
            return new LinkedHashMap<>();
        }
        Map<String, Object> m = JsonTree.object(n);
        if (m == null) {
            throw new BeeException(ErrorKind.INPUT, file + " is not a JSON object", "fix or remove the file");
        }
        return m;
    }

    private static void write(Path file, Map<String, Object> root) {
        try {
            Path tmp = AtomicFiles.tempFor(file);
            try {
                if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
                }
                Files.write(tmp, JsonTree.writePretty(root));
                AtomicFiles.commit(tmp, file);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw WriteError.of(file, e, "pass another credentials file with --config");
        }
    }

    /** {@code host[:port]} from what a user types after {@code bee login}: a host, a URL or a reference. */
    public static String serverOf(String text) {
        String s = text.trim();
        int scheme = s.indexOf("://");
        if (scheme >= 0) {
            s = s.substring(scheme + 3);
        }
        int slash = s.indexOf('/');
        if (slash >= 0) {
            s = s.substring(0, slash);
        }
        if (s.isEmpty()) {
            throw new BeeException(ErrorKind.USAGE, "no registry server in '" + text + "'", "e.g. bee login localhost:5000");
        }
        if (s.equals("index.docker.io") || s.equals("registry-1.docker.io")) {
            return ImageRef.DOCKER_HUB;
        }
        return s;
    }
}
