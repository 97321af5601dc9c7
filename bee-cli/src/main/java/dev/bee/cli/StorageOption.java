package dev.bee.cli;

import dev.bee.core.image.ImageStore;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code --storage DIR}: the local image store (default {@code $BEE_STORAGE}, else {@code ~/.bee/store}). */
final class StorageOption {
    @Option(names = "--storage", paramLabel = "DIR",
            description = "Local image store, an OCI image layout folder (default: $BEE_STORAGE, else ~/.bee/store).")
    Path storage;

    ImageStore store() {
        return new ImageStore(storage != null ? storage : ImageStore.defaultRoot());
    }
}
