package dev.bee.core.image;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import dev.bee.core.io.JsonTree;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Packages an eBPF object as an image in BumbleBee's layout: config blob {@link MediaTypes#EBPF_CONFIG}
 * titled {@code config.json}, one layer {@link MediaTypes#EBPF_PROGRAM} titled {@code program.o}.
 * The manifest is written here, byte for byte, so its digest depends only on the object, the config
 * and the annotations: no timestamp unless {@code SOURCE_DATE_EPOCH} asks for one.
 */
public final class ImageBuilder {
    private ImageBuilder() {
    }

    /**
     * A packaged image: manifest bytes and digest, and the blobs it refers to; {@code program} is the one
     * layer (the raw object here, the tar+gzip holding it in {@link BpfmanImageBuilder}'s images).
     */
    public record Built(byte[] manifest, String digest, byte[] config, byte[] program) {
        public Descriptor descriptor(Platform platform) {
            return new Descriptor(MediaTypes.OCI_MANIFEST, digest, manifest.length, Map.of(), platform, null);
        }
    }

    public static Built build(byte[] program, byte[] config, Map<String, String> annotations) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schemaVersion", 2);
        m.put("mediaType", MediaTypes.OCI_MANIFEST);
        m.put("config", Descriptor.of(MediaTypes.EBPF_CONFIG, Digests.sha256(config), config.length,
                Map.of(MediaTypes.TITLE, MediaTypes.CONFIG_TITLE)).toJson());
        m.put("layers", List.of(Descriptor.of(MediaTypes.EBPF_PROGRAM, Digests.sha256(program), program.length,
                Map.of(MediaTypes.TITLE, MediaTypes.PROGRAM_TITLE)).toJson()));
        if (annotations != null && !annotations.isEmpty()) {
            m.put("annotations", new TreeMap<String, Object>(annotations));
        }
        byte[] bytes = JsonTree.write(m);
        return new Built(bytes, Digests.sha256(bytes), config, program);
    }

    /**
     * The manifest annotations for the user's {@code --description}, {@code --author} and
     * {@code --source} (null: left out), and {@code org.opencontainers.image.created} from
     * {@code sourceDateEpoch} (seconds since 1970, as reproducible-builds.org defines it) when set.
     */
    public static Map<String, String> annotations(String description, String author, String source,
                                                  String sourceDateEpoch) {
        Map<String, String> a = new TreeMap<>();
        if (description != null && !description.isBlank()) {
            a.put(MediaTypes.DESCRIPTION, description);
        }
        if (author != null && !author.isBlank()) {
            a.put(MediaTypes.AUTHORS, author);
        }
        if (source != null && !source.isBlank()) {
            a.put(MediaTypes.SOURCE, source);
        }
        if (sourceDateEpoch != null && !sourceDateEpoch.isBlank()) {
            try {
                a.put(MediaTypes.CREATED, Instant.ofEpochSecond(Long.parseLong(sourceDateEpoch.trim())).toString());
            } catch (NumberFormatException e) {
                throw new BeeException(ErrorKind.USAGE, "SOURCE_DATE_EPOCH='" + sourceDateEpoch
                        + "' is not a number of seconds", "unset it, or set it to e.g. $(git log -1 --format=%ct)");
            }
        }
        return a;
    }

    /** Stores {@code image} under {@code name} with {@code platform} on its index entry. */
    public static ImageStore.Entry store(ImageStore store, String name, Built image, Platform platform) {
        try (Staging staging = store.stage()) {
            staging.put(image.config());
            staging.put(image.program());
            staging.put(image.manifest());
            return staging.commit(name, image.descriptor(platform));
        }
    }
}
