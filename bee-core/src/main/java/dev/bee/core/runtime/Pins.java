package dev.bee.core.runtime;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import dev.bee.core.kernel.KernelEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a run pins (--pin-maps, --pin-progs) and the folders it makes for them, so that a run that fails
 * before it starts can take them back: pins are kept only by runs that got going. Pin folders must be on a
 * bpf file system, checked before anything is made.
 */
final class Pins {
    private static final Logger LOG = LoggerFactory.getLogger(Pins.class);

    private final List<Path> folders = new ArrayList<>();
    private final List<Path> pinned = new ArrayList<>();

    /** Checks each folder is on a bpf file system (mounting /sys/fs/bpf if needed), then makes what is missing. */
    void createFolders(Path... dirs) {
        for (Path dir : dirs) {
            if (dir == null) {
                continue;
            }
            KernelSetup.ensureBpffs(dir);
            String fs = KernelEnvironment.fileSystemOf(dir).orElse("bpf");
            if (!fs.equals("bpf")) {
                throw new BeeException(ErrorKind.USAGE, "cannot pin in " + dir + ": it is on a " + fs
                        + " file system, not a bpf one", "choose a folder under /sys/fs/bpf (mount -t bpf bpf DIR for another)");
            }
            List<Path> missing = new ArrayList<>();
            for (Path p = dir.toAbsolutePath().normalize(); p != null && !Files.exists(p); p = p.getParent()) {
                missing.add(0, p);
            }
            for (Path p : missing) {
                try {
                    Files.createDirectory(p);
                    folders.add(p);
                } catch (IOException e) {
                    throw new BeeException(ErrorKind.USAGE, "cannot create pin folder " + p + ": " + e.getMessage(),
                            "pin folders must be on a bpf filesystem, e.g. under /sys/fs/bpf");
                }
            }
        }
    }

    void pinned(Path at) {
        pinned.add(at);
    }

    /** Removes every pin made and every folder made (newest first); never throws. */
    void undo() {
        for (int i = pinned.size() - 1; i >= 0; i--) {
            try {
                Files.deleteIfExists(pinned.get(i));
            } catch (IOException e) {
                LOG.warn("cannot remove pin {}: {}", pinned.get(i), e.getMessage());
            }
        }
        for (int i = folders.size() - 1; i >= 0; i--) {
            try {
                Files.deleteIfExists(folders.get(i));
            } catch (DirectoryNotEmptyException e) {
                // something else put a file there meanwhile: keep it
            } catch (IOException e) {
                LOG.warn("cannot remove pin folder {}: {}", folders.get(i), e.getMessage());
            }
        }
        pinned.clear();
        folders.clear();
    }
}
