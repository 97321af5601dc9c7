package dev.bee.core.image.registry;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import dev.bee.core.image.ImageRef;
import dev.bee.core.image.ImageStore;
import dev.bee.core.image.LocalImage;
import dev.bee.core.object.BpfObject;
import dev.bee.core.object.ObjectReader;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * What {@code bee run} and {@code bee describe} take: an object file, or an image in the local store,
 * pulled from its registry when it is not there yet.
 */
public final class ProgramSource {
    private ProgramSource() {
    }

    /** Whether {@code arg} names a file (an existing path, or one that ends in {@code .o}). */
    public static boolean isFile(String arg) {
        return Files.exists(Path.of(arg)) || arg.endsWith(".o") || arg.startsWith("/") || arg.startsWith("./");
    }

    /**
     * The object {@code arg} names. A file is read; otherwise the image is opened from {@code store},
     * and pulled with the client {@code registry} supplies when missing (null: never pull). An image (not a
     * file) is read only once {@code trust} admitted its digest: a pulled one before it is stored, a stored one
     * before its object is read.
     */
    public static BpfObject open(String arg, ImageStore store, Supplier<RegistryClient> registry,
                                 RegistryClient.DigestCheck trust) {
        if (isFile(arg)) {
            Path p = Path.of(arg);
            if (!Files.exists(p)) {
                throw new BeeException(ErrorKind.NOT_FOUND, "no such file: " + arg,
                        "build one with 'bee build PROG.c', or give an image reference");
            }
            return ObjectReader.read(p);
        }
        if (store.find(arg).isEmpty()) {
            if (registry == null || !ImageRef.isValid(arg)) {
                throw new BeeException(ErrorKind.NOT_FOUND, "no such file or image: " + arg,
                        "'bee list' shows local images; build one with 'bee build PROG.c NAME:TAG'");
            }
            registry.get().pull(store, ImageRef.parse(arg), trust);
            return read(arg, store.open(arg), store);
        }
        LocalImage image = store.open(arg);
        if (trust != RegistryClient.DigestCheck.NONE) {
            trust.admit(storedRef(arg, image), image.digest());
        }
        return read(arg, image, store);
    }

    /** The reference a stored image is checked under: the name it is stored as (the repository it came from). */
    public static ImageRef storedRef(String arg, LocalImage image) {
        String name = image.name() != null ? image.name() : arg;
        if (!ImageRef.isValid(name)) {
            throw new BeeException(ErrorKind.UNTRUSTED, "refused " + arg + ": it has no image name, so no repository"
                    + " to look its signatures up in; nothing was loaded", "load it by its name (bee list shows them)");
        }
        return ImageRef.parse(name);
    }

    private static BpfObject read(String arg, LocalImage image, ImageStore store) {
        return ObjectReader.read(image.name() != null ? image.name() : arg, store.objectBytes(image));
    }
}
