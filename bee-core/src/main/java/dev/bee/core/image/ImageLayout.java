package dev.bee.core.image;

import dev.bee.core.object.BpfObject;

import java.util.Locale;
import java.util.Map;

/**
 * The layouts bee writes an image in (it reads more, see {@link ImageFormats}): its own, BumbleBee's
 * layout with a config that describes the object ({@link ImageBuilder}), or a bpfman bytecode image
 * ({@link BpfmanImageBuilder}). Both hold the object byte for byte.
 */
public enum ImageLayout {
    BEE,
    BPFMAN;

    /**
     * The image of {@code object}. {@code build} says how it was made (null: not known; for bpfman, its
     * source name names the object file in the layer); {@code platform} is where it runs (bpfman's config
     * needs one); {@code annotations} go on the manifest.
     */
    public ImageBuilder.Built build(BpfObject object, ImageConfig.Build build, Platform platform,
                                    Map<String, String> annotations) {
        return switch (this) {
            case BEE -> ImageBuilder.build(object.bytes(), ImageConfig.of(object, build, platform).toBytes(), annotations);
            case BPFMAN -> BpfmanImageBuilder.build(object, BpfmanImageBuilder.fileName(build == null ? null : build.source()),
                    platform, annotations);
        };
    }

    /** What bee reads an image of this layout as. */
    public ImageKind kind() {
        return this == BEE ? ImageKind.BEE : ImageKind.BPFMAN;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
