package dev.bee.cli;

import dev.bee.core.image.Descriptor;
import dev.bee.core.image.ImageConfig;
import dev.bee.core.image.LocalImage;
import dev.bee.core.image.Platform;

import java.util.List;
import java.util.Map;

/**
 * What {@code bee describe REF} prints: the image's identity and layout ({@code kind} as a key, {@code format}
 * in words), and the object it holds.
 */
record ImageDescription(String name, String digest, String kind, String format, String mediaType, Platform platform,
                        Map<String, String> annotations, Layer config, List<Layer> layers, long size,
                        ImageConfig object, String signed) {

    record Layer(String mediaType, String digest, long size, String title) {
        static Layer of(Descriptor d) {
            return new Layer(d.mediaType(), d.digest(), d.size(), d.title());
        }
    }

    /**
     * @param signed what the signatures say: "signed by KEY", or that nothing was checked (no --verify-key or
     *               policy); a refused image never gets this far
     */
    static ImageDescription of(LocalImage image, ImageConfig object, String signed) {
        return new ImageDescription(image.name(), image.digest(), image.kind().label(), image.kind().format(),
                image.descriptor().mediaType(), image.platform(), image.manifest().annotations(),
                Layer.of(image.manifest().config()), image.manifest().layers().stream().map(Layer::of).toList(),
                image.manifest().totalSize(), object, signed);
    }
}
