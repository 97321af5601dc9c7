package dev.bee.core.image;

import dev.bee.core.io.JsonTree;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Blobs, manifests and indexes written straight into a store's folder, for tests of the store's parts. */
final class StoreBlobs {
    private StoreBlobs() {
    }

    /** Writes {@code data} as a blob of the store; returns its descriptor. */
    static Descriptor put(StoreFiles files, String mediaType, byte[] data) {
        try {
            Files.createDirectories(files.blobs());
            String digest = Digests.sha256(data);
            Files.write(files.blob(digest), data);
            return Descriptor.of(mediaType, digest, data.length, Map.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Descriptor put(StoreFiles files, String mediaType, String text) {
        return put(files, mediaType, text.getBytes(StandardCharsets.UTF_8));
    }

    /** A manifest's bytes: schema 2, {@code mediaType}, a config and layers. */
    static byte[] manifest(String mediaType, Descriptor config, Descriptor... layers) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schemaVersion", 2);
        m.put("mediaType", mediaType);
        m.put("config", config.toJson());
        m.put("layers", Stream.of(layers).map(Descriptor::toJson).toList());
        return JsonTree.write(m);
    }

    /** An OCI index's bytes listing {@code manifests}. */
    static byte[] index(Descriptor... manifests) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schemaVersion", 2);
        m.put("mediaType", MediaTypes.OCI_INDEX);
        m.put("manifests", List.of(manifests).stream().map(Descriptor::toJson).toList());
        return JsonTree.write(m);
    }
}
