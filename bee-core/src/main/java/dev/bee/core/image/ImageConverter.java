package dev.bee.core.image;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import dev.bee.core.object.BpfObject;
import dev.bee.core.object.ObjectReader;

/**
 * Writes the program of a stored image, whoever made it, as a new stored image in one of the layouts bee
 * writes ({@code bee convert}). The object is carried byte for byte; so are the manifest's annotations,
 * bee's build record when the source has one, and the platform.
 */
public final class ImageConverter {
    private ImageConverter() {
    }

    /**
     * The stored result. {@code platformAssumed}: the source recorded no platform and the layout needs one
     * (bpfman's OCI config), so this machine's OS and architecture were written, without a kernel release.
     */
    public record Converted(ImageStore.Entry entry, ImageKind from, ImageLayout to, Platform platform,
                            boolean platformAssumed) {
    }

    public static Converted convert(ImageStore store, String src, String dst, ImageLayout layout) {
        ImageRef target = ImageRef.parse(dst);
        if (target.digest() != null) {
            throw new BeeException(ErrorKind.USAGE, "cannot name an image by digest: " + dst, "use NAME:TAG");
        }
        LocalImage image = store.open(src);
        String label = image.name() != null ? image.name() : Digests.shortForm(image.digest());
        BpfObject object = ObjectReader.read(label, store.objectBytes(image));
        Platform platform = image.platform();
        boolean assumed = false;
        if (platform == null && layout == ImageLayout.BPFMAN) {
            Platform host = Platform.host();
            platform = new Platform(host.os(), host.architecture(), host.variant(), null);
            assumed = true;
        }
        ImageConfig.Build build = image.beeConfig() != null ? image.beeConfig().build() : null;
        ImageBuilder.Built built = layout.build(object, build, platform, image.manifest().annotations());
        ImageStore.Entry entry = ImageBuilder.store(store, target.familiar(), built, platform);
        return new Converted(entry, image.kind(), layout, platform, assumed);
    }
}
