package dev.bee.core.image;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import dev.bee.core.io.JsonTree;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Recognises the eBPF image layouts bee reads (its own, BumbleBee's, bpfman's, Inspektor Gadget's)
 * and finds the ELF object inside each.
 */
public final class ImageFormats {
    private static final List<String> TAR_LAYERS = List.of(MediaTypes.OCI_LAYER_TAR_GZIP, MediaTypes.OCI_LAYER_TAR,
            MediaTypes.DOCKER_LAYER_TAR_GZIP, "application/vnd.oci.image.layer.v1.tar+zstd");

    private ImageFormats() {
    }

    /** Which layout the image has; an image of none of them is an INPUT error. */
    public static ImageKind kind(ImageManifest m, byte[] config, String where) {
        if (MediaTypes.GADGET_ARTIFACT.equals(m.artifactType())
                || MediaTypes.GADGET_CONFIG.equals(m.config().mediaType())
                || m.layers().stream().anyMatch(l -> MediaTypes.GADGET_PROGRAM.equals(l.mediaType()))) {
            return ImageKind.GADGET;
        }
        if (MediaTypes.EBPF_CONFIG.equals(m.config().mediaType())
                || m.layers().stream().anyMatch(l -> MediaTypes.EBPF_PROGRAM.equals(l.mediaType()))) {
            return ImageConfig.parse(config) != null ? ImageKind.BEE : ImageKind.BUMBLEBEE;
        }
        if (!bpfmanLabels(config).isEmpty()) {
            return ImageKind.BPFMAN;
        }
        if (m.layers().stream().anyMatch(l -> MediaTypes.PROGRAM_TITLE.equals(l.title()))) {
            return ImageKind.BUMBLEBEE;
        }
        throw new BeeException(ErrorKind.INPUT, where + " is not an eBPF image bee knows (config type "
                + m.config().mediaType() + ", layers " + m.layers().stream().map(Descriptor::mediaType).toList() + ")",
                "bee reads images made by bee, BumbleBee, bpfman (io.ebpf.* labels) and Inspektor Gadget");
    }

    /** The layer that holds the program. */
    public static Descriptor programLayer(ImageManifest m, ImageKind kind, byte[] config, String where) {
        List<Descriptor> found = switch (kind) {
            case BEE, BUMBLEBEE -> {
                List<Descriptor> typed = m.layers().stream().filter(l -> MediaTypes.EBPF_PROGRAM.equals(l.mediaType())).toList();
                yield typed.isEmpty() ? m.layers().stream().filter(l -> MediaTypes.PROGRAM_TITLE.equals(l.title())).toList()
                        : typed;
            }
            case GADGET -> m.layers().stream().filter(l -> MediaTypes.GADGET_PROGRAM.equals(l.mediaType())).toList();
            case BPFMAN -> m.layers().stream().filter(l -> TAR_LAYERS.contains(l.mediaType())).toList();
        };
        if (found.isEmpty()) {
            throw new BeeException(ErrorKind.INPUT, where + ": " + kind.label() + " image has no program layer");
        }
        if (found.size() > 1 && kind != ImageKind.BPFMAN) {
            List<Descriptor> titled = found.stream().filter(l -> MediaTypes.PROGRAM_TITLE.equals(l.title())).toList();
            if (titled.size() == 1) {
                return titled.get(0);
            }
            throw new BeeException(ErrorKind.INPUT, where + ": image has " + found.size() + " program layers; bee runs one");
        }
        return found.get(found.size() - 1);
    }

    /**
     * The ELF object of the image: the raw program layer, or for bpfman the {@code .o} inside the tar
     * layer ({@code io.ebpf.filename} names it in older images; otherwise the only {@code .o}).
     */
    public static byte[] program(ImageManifest m, ImageKind kind, byte[] config, Function<Descriptor, byte[]> blobs,
                                 String where) {
        Descriptor layer = programLayer(m, kind, config, where);
        byte[] content = blobs.apply(layer);
        byte[] object;
        if (kind == ImageKind.BPFMAN) {
            object = fromTar(content, bpfmanLabels(config).get(MediaTypes.BPFMAN_FILENAME), where);
        } else {
            object = content;
        }
        checkElf(object, where);
        return object;
    }

    private static byte[] fromTar(byte[] layer, String filename, String where) {
        List<TarReader.Entry> entries = TarReader.read(layer, where);
        if (filename != null) {
            for (TarReader.Entry e : entries) {
                String n = e.cleanName();
                if (n.equals(filename) || n.endsWith("/" + filename)) {
                    return e.content();
                }
            }
            throw new BeeException(ErrorKind.INPUT, where + ": the layer has no file " + filename
                    + " (named by the io.ebpf.filename label)");
        }
        List<TarReader.Entry> objects = entries.stream().filter(e -> e.cleanName().endsWith(".o")).toList();
        if (objects.size() != 1) {
            throw new BeeException(ErrorKind.INPUT, where + ": expected one .o file in the layer, found "
                    + objects.stream().map(TarReader.Entry::cleanName).toList());
        }
        return objects.get(0).content();
    }

    /** Fails unless {@code object} starts like an eBPF ELF object. */
    public static void checkElf(byte[] o, String where) {
        boolean elf = o.length > 20 && o[0] == 0x7f && o[1] == 'E' && o[2] == 'L' && o[3] == 'F';
        int machine = !elf ? 0 : o[5] == 2 ? ((o[18] & 0xff) << 8) | (o[19] & 0xff) : (o[18] & 0xff) | ((o[19] & 0xff) << 8);
        if (!elf || machine != 247) {
            throw new BeeException(ErrorKind.INPUT, where + ": the program layer is not an eBPF ELF object",
                    "the image does not hold a program bee can run");
        }
    }

    /** The {@code io.ebpf.*} labels of an image config (bpfman), empty when there are none. */
    public static Map<String, String> bpfmanLabels(byte[] config) {
        Map<String, String> out = new TreeMap<>();
        try {
            Object n = JsonTree.parse(config);
            Object c = JsonTree.get(n, "config");
            for (Object labels : java.util.Arrays.asList(JsonTree.get(c, "Labels"), JsonTree.get(c, "labels"),
                    JsonTree.get(n, "Labels"), JsonTree.get(n, "labels"))) {
                Descriptor.stringMap(labels).forEach((k, v) -> {
                    if (k.startsWith("io.ebpf.")) {
                        out.put(k, v);
                    }
                });
            }
        } catch (IOException e) {
            return out;
        }
        return out;
    }
}
