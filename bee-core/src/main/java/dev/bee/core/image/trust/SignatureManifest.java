package dev.bee.core.image.trust;

import dev.bee.core.image.Descriptor;
import dev.bee.core.image.Digests;
import dev.bee.core.image.MediaTypes;
import dev.bee.core.io.JsonTree;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where and how cosign stores an image's signatures: an OCI image manifest tagged {@code sha256-<hex>.sig} in
 * the image's repository, one layer per signature (the simple signing payload, with the base64 signature in the
 * layer annotation {@code dev.cosignproject.cosign/signature}), and the config go-containerregistry writes for
 * such an image. Signing again appends a layer and keeps the others as they are.
 */
public final class SignatureManifest {
    public static final String SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature";
    /** An image is signed a few times; a manifest with more layers than this is not read (each costs a request). */
    public static final int MAX_SIGNATURES = 100;
    private static final String ZERO_TIME = "0001-01-01T00:00:00Z";

    private SignatureManifest() {
    }

    /** The tag of {@code digest}'s signatures: {@code sha256:abc...} gives {@code sha256-abc....sig}. */
    public static String tag(String digest) {
        return "sha256-" + Digests.hex(digest) + ".sig";
    }

    /** A signature manifest to push: its config and its own bytes. */
    public record Built(byte[] config, byte[] manifest) {
    }

    /** A descriptor for one signature layer: the payload's digest and size, the signature as its annotation. */
    public static Descriptor layer(byte[] payload, String signatureBase64) {
        return Descriptor.of(SimpleSigning.MEDIA_TYPE, Digests.sha256(payload), payload.length,
                Map.of(SIGNATURE_ANNOTATION, signatureBase64));
    }

    /** The manifest holding {@code layers} (the layers already there, then the new one), and its config. */
    public static Built build(List<Descriptor> layers) {
        List<Object> diffIds = new ArrayList<>();
        List<Object> history = new ArrayList<>();
        List<Object> layerJson = new ArrayList<>();
        for (Descriptor d : layers) {
            diffIds.add(d.digest()); // the payload is stored uncompressed: its diff id is its digest
            history.add(new LinkedHashMap<>(Map.of("created", ZERO_TIME)));
            layerJson.add(d.toJson());
        }
        Map<String, Object> rootfs = new LinkedHashMap<>();
        rootfs.put("type", "layers");
        rootfs.put("diff_ids", diffIds);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("architecture", "");
        config.put("created", ZERO_TIME);
        config.put("history", history);
        config.put("os", "");
        config.put("rootfs", rootfs);
        config.put("config", new LinkedHashMap<>());
        byte[] configBytes = JsonTree.write(config);

        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", MediaTypes.OCI_MANIFEST);
        manifest.put("config", Descriptor.of(MediaTypes.OCI_CONFIG, Digests.sha256(configBytes), configBytes.length,
                Map.of()).toJson());
        manifest.put("layers", layerJson);
        return new Built(configBytes, JsonTree.write(manifest));
    }
}
