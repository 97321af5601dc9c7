package dev.bee.core.image;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads the store's blobs, each checked against its digest and a size bound, and the images they make up:
 * an entry's manifest (for an index, the one for this machine's platform), its config, its program.
 */
final class StoreReader {
    private final StoreFiles files;

    StoreReader(StoreFiles files) {
        this.files = files;
    }

    boolean has(String digest) {
        return Files.isRegularFile(files.blob(digest));
    }

    /** A blob's bytes, checked against its digest and {@code maxSize}. */
    byte[] read(String digest, long maxSize) {
        Path p = files.blob(digest);
        try {
            if (Files.size(p) > maxSize) {
                throw new BeeException(ErrorKind.INPUT, "blob " + digest + " in " + files.root() + " is larger than "
                        + maxSize + " bytes");
            }
            byte[] data = Files.readAllBytes(p);
            String actual = Digests.sha256(data);
            if (!actual.equals(digest)) {
                throw new BeeException(ErrorKind.INPUT, "blob " + digest + " in " + files.root()
                        + " is corrupt (its content has digest " + actual + ")",
                        "remove the image with 'bee rmi' and pull or build it again");
            }
            return data;
        } catch (NoSuchFileException e) {
            throw new BeeException(ErrorKind.INPUT, "blob " + digest + " is missing from " + files.root(),
                    "remove the image with 'bee rmi' and pull or build it again");
        } catch (IOException e) {
            throw new BeeException(ErrorKind.INPUT, "cannot read blob " + digest + ": " + e.getMessage(), null, e);
        }
    }

    /** The image of an index entry, read and checked (an index picks this machine's platform). */
    LocalImage open(ImageStore.Entry e) {
        String label = e.name() != null ? e.name() : Digests.shortForm(e.digest());
        byte[] raw = read(e.digest(), Digests.MAX_DOCUMENT);
        Descriptor desc = e.descriptor();
        if (ImageManifest.isIndex(raw, desc.mediaType(), label)) {
            Descriptor chosen = ImageManifest.selectPlatform(ImageManifest.indexEntries(raw, label), Platform.host(), label);
            raw = read(chosen.digest(), Digests.MAX_DOCUMENT);
            desc = chosen;
        }
        ImageManifest m = ImageManifest.parse(raw, label);
        byte[] config = read(m.config().digest(), Digests.MAX_DOCUMENT);
        ImageKind kind = ImageFormats.kind(m, config, label);
        return new LocalImage(e.name(), desc, m, config, kind, kind == ImageKind.BEE ? ImageConfig.parse(config) : null);
    }

    /** The ELF object of an opened image; see {@link ImageFormats#program}. */
    byte[] object(LocalImage image) {
        String label = image.name() != null ? image.name() : Digests.shortForm(image.digest());
        return ImageFormats.program(image.manifest(), image.kind(), image.config(),
                d -> read(d.digest(), Digests.MAX_LAYER), label);
    }
}
