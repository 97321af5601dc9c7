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
     * and pulled with the client {@code registry} supplies when missing (null: never pull).
     */
    public static BpfObject open(String arg, ImageStore store, Supplier<RegistryClient> registry) {
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
            registry.get().pull(store, ImageRef.parse(arg));
        }
        LocalImage image = store.open(arg);
        return ObjectReader.read(image.name() != null ? image.name() : arg, store.objectBytes(image));
    }
}
