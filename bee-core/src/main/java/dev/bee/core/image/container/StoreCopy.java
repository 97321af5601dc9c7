package dev.bee.core.image.container;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import dev.bee.core.image.Descriptor;
import dev.bee.core.image.Digests;
import dev.bee.core.image.ImageStore;
import dev.bee.core.image.LocalImage;
import dev.bee.core.image.MediaTypes;
import dev.bee.core.image.Staging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The eBPF image as a store of its own: a new OCI layout folder holding only that image, under the
 * name {@code bee run} is given in the container, written through {@link ImageStore} so that bee reads
 * it exactly as its local store. Its files become the image layer at {@link ContainerLayout#STORE}.
 * The index entry has only media type, digest and size (no platform note), so an image built here and
 * the same image pulled from a registry give the same files.
 */
public final class StoreCopy {
    private StoreCopy() {
    }

    /**
     * Copies {@code image} (read from {@code from}, blobs checked against their digests) into a new store
     * at {@code dir}, named {@code name}; returns the store's files (oci-layout, index.json, blobs),
     * relative to {@code dir} and sorted, without bee's lock and staging files.
     */
    public static List<Path> write(ImageStore from, LocalImage image, String name, Path dir) {
        ImageStore to = new ImageStore(dir);
        try (Staging staging = to.stage()) {
            staging.put(image.manifest().raw());
            staging.put(image.config());
            for (Descriptor layer : image.manifest().layers()) {
                staging.put(from.readBlob(layer.digest(), Digests.MAX_LAYER));
            }
            // Only what bee run needs: where the image came from (built here, pulled; its platform note)
            // must not change the layer, so one eBPF image always gives one store.
            Descriptor d = image.descriptor();
            staging.commit(name, Descriptor.of(d.mediaType() != null ? d.mediaType() : MediaTypes.OCI_MANIFEST,
                    image.digest(), image.manifest().raw().length, Map.of()));
        }
        try (Stream<Path> s = Files.walk(dir)) {
            List<Path> files = new ArrayList<>();
            for (Path p : s.filter(Files::isRegularFile).map(dir::relativize).sorted().toList()) {
                String first = p.getName(0).toString();
                if (first.equals("oci-layout") || first.equals("index.json") || first.equals("blobs")) {
                    files.add(p);
                }
            }
            return files;
        } catch (IOException e) {
            throw new BeeException(ErrorKind.ENVIRONMENT, "cannot list the image store copy in " + dir + ": "
                    + e.getMessage(), null, e);
        }
    }
}
