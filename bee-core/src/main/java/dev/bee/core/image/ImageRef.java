package dev.bee.core.image;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An image reference read with Docker's rules: {@code [DOMAIN/]PATH[:TAG][@DIGEST]}. The domain is the
 * first path component when it holds a dot or a colon or is {@code localhost}; otherwise it is
 * {@code docker.io}, where one-component paths get the {@code library/} prefix. Without a tag or a
 * digest the tag is {@code latest}.
 *
 * @param domain registry host and port ({@code docker.io} for Docker Hub)
 * @param path   repository path inside the registry
 * @param tag    the tag, or null when only a digest was given
 * @param digest {@code algorithm:hex}, or null
 */
public record ImageRef(String domain, String path, String tag, String digest) {
    public static final String DOCKER_HUB = "docker.io";
    public static final String DEFAULT_TAG = "latest";

    private static final Pattern DOMAIN = Pattern.compile(
            "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*"
                    + "(?::[0-9]+)?|\\[[a-fA-F0-9:]+\\](?::[0-9]+)?");
    private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final Pattern DIGEST = Pattern.compile("[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}");
    private static final int MAX_NAME = 255;

    /** Parses {@code text}; a malformed reference is a usage error that says what is wrong. */
    public static ImageRef parse(String text) {
        if (text == null || text.isBlank()) {
            throw invalid(text, "it is empty");
        }
        String s = text.trim();
        if (s.contains("://")) {
            throw invalid(text, "a reference has no scheme (write HOST/PATH:TAG, not a URL)");
        }
        String digest = null;
        int at = s.indexOf('@');
        if (at >= 0) {
            digest = s.substring(at + 1);
            s = s.substring(0, at);
            if (!DIGEST.matcher(digest).matches()) {
                throw invalid(text, "'" + digest + "' is not a digest (ALGORITHM:HEX, e.g. sha256:...)");
            }
            if (digest.startsWith("sha256:") && !Digests.isSha256(digest)) {
                throw invalid(text, "a sha256 digest has 64 lowercase hex digits");
            }
        }
        String tag = null;
        int colon = s.lastIndexOf(':');
        if (colon > s.lastIndexOf('/')) {
            tag = s.substring(colon + 1);
            s = s.substring(0, colon);
            if (!TAG.matcher(tag).matches()) {
                throw invalid(text, "'" + tag + "' is not a valid tag (letters, digits, _ . -; at most 128)");
            }
        }
        String domain;
        String path;
        int slash = s.indexOf('/');
        String first = slash < 0 ? "" : s.substring(0, slash);
        if (slash < 0 || (!first.contains(".") && !first.contains(":") && !first.equals("localhost")
                && first.toLowerCase(Locale.ROOT).equals(first))) {
            domain = DOCKER_HUB;
            path = s;
        } else {
            domain = first;
            path = s.substring(slash + 1);
        }
        if (!DOMAIN.matcher(domain).matches()) {
            throw invalid(text, "'" + domain + "' is not a registry host");
        }
        if (domain.equals("index.docker.io") || domain.equals("registry-1.docker.io")) {
            domain = DOCKER_HUB;
        }
        if (domain.equals(DOCKER_HUB) && !path.contains("/")) {
            path = "library/" + path;
        }
        if (path.isEmpty()) {
            throw invalid(text, "the repository name is missing");
        }
        for (String c : path.split("/", -1)) {
            if (!COMPONENT.matcher(c).matches()) {
                throw invalid(text, c.toLowerCase(Locale.ROOT).equals(c) || c.isEmpty()
                        ? "'" + c + "' is not a valid repository path component (lowercase letters, digits, . _ -)"
                        : "repository names must be lowercase");
            }
        }
        if (domain.length() + 1 + path.length() > MAX_NAME) {
            throw invalid(text, "the repository name is longer than " + MAX_NAME + " characters");
        }
        if (tag == null && digest == null) {
            tag = DEFAULT_TAG;
        }
        return new ImageRef(domain, path, tag, digest);
    }

    /** Whether {@code text} parses as a reference. */
    public static boolean isValid(String text) {
        try {
            parse(text);
            return true;
        } catch (BeeException e) {
            return false;
        }
    }

    private static BeeException invalid(String text, String why) {
        return new BeeException(ErrorKind.USAGE, "invalid image reference '" + text + "': " + why,
                "write it as [REGISTRY/]NAME[:TAG][@sha256:DIGEST], e.g. localhost:5000/probes/opensnoop:v1");
    }

    /** {@code domain/path}. */
    public String repository() {
        return domain + "/" + path;
    }

    /** The full form, e.g. {@code docker.io/library/x:latest}. */
    public String canonical() {
        return repository() + suffix();
    }

    /** The short form people type: Docker Hub's {@code docker.io/} and {@code library/} left out. */
    public String familiar() {
        return familiarRepository() + suffix();
    }

    public String familiarRepository() {
        if (domain.equals(DOCKER_HUB)) {
            return path.startsWith("library/") && path.indexOf('/', 8) < 0 ? path.substring(8) : path;
        }
        return repository();
    }

    private String suffix() {
        return (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
    }

    public ImageRef withDigest(String newDigest) {
        return new ImageRef(domain, path, tag, newDigest);
    }

    /** Same repository and tag (and digest when both have one). */
    public boolean sameAs(ImageRef o) {
        if (!repository().equals(o.repository())) {
            return false;
        }
        if (digest != null && o.digest != null) {
            return digest.equals(o.digest);
        }
        if (tag == null || o.tag == null) {
            return false;
        }
        return tag.equals(o.tag) && (digest == null || o.digest == null);
    }

    @Override
    public String toString() {
        return familiar();
    }
}
