package dev.bee.core.image;

import java.nio.file.Path;

/**
 * Where the local store keeps what: the OCI image layout ({@code oci-layout}, {@code index.json},
 * {@code blobs/sha256/HEX}) that other OCI tools read, and bee's own files beside it, which they ignore:
 * the lock {@code .bee.lock} and the staging folders {@code .staging/pull-PID-RANDOM}.
 *
 * @param root the store's folder, absolute and normalized
 */
record StoreFiles(Path root) {
    private static final String STAGING_PREFIX = "pull-";

    StoreFiles {
        root = root.toAbsolutePath().normalize();
    }

    Path index() {
        return root.resolve("index.json");
    }

    Path ociLayout() {
        return root.resolve("oci-layout");
    }

    Path blobs() {
        return root.resolve("blobs").resolve("sha256");
    }

    Path blob(String digest) {
        return blobs().resolve(Digests.hex(digest));
    }

    Path lock() {
        return root.resolve(".bee.lock");
    }

    /** The folder that holds one staging folder per write in progress. */
    Path staging() {
        return root.resolve(".staging");
    }

    /** The digest of the blob a file of {@link #blobs} holds, or null for a file that is not one of bee's blobs. */
    static String blobDigest(String fileName) {
        return fileName.matches("[0-9a-f]{64}") ? "sha256:" + fileName : null;
    }

    /** The glob of the staging folders bee makes, for {@link java.nio.file.Files#newDirectoryStream(Path, String)}. */
    static String stagingGlob() {
        return STAGING_PREFIX + "*";
    }

    /**
     * The start of a new staging folder's name, which {@link java.nio.file.Files#createTempDirectory} ends with
     * random characters: the pid in it lets a later command tell an abandoned folder from a live one.
     */
    static String stagingPrefix(long pid) {
        return STAGING_PREFIX + pid + "-";
    }

    /** The process a staging folder was made by, read from its name; -1 for a name bee does not give. */
    static long stagingOwner(String folderName) {
        String[] parts = folderName.split("-");
        if (!folderName.startsWith(STAGING_PREFIX) || parts.length < 3) {
            return -1;
        }
        try {
            return Long.parseLong(parts[1]);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
