package dev.bee.core.image;

/**
 * An image in the local store, read and checked: the name it is stored under, the descriptor in
 * {@code index.json} (with the platform), the manifest, the config bytes, which layout it has, and
 * bee's config when the image has one (null for BumbleBee, bpfman and Gadget images).
 */
public record LocalImage(String name, Descriptor descriptor, ImageManifest manifest, byte[] config, ImageKind kind,
                         ImageConfig beeConfig) {

    public String digest() {
        return manifest.digest();
    }

    /**
     * The platform on the store's descriptor (BumbleBee's place for it), else the one in the config
     * (which survives a registry: an image that reached the store by another tool, such as skopeo).
     */
    public Platform platform() {
        return descriptor.platform() != null ? descriptor.platform() : Platform.ofConfig(config);
    }
}
