package dev.bee.core.init;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import dev.bee.core.io.AtomicFiles;
import dev.bee.core.io.WriteError;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a new program's source file: whole or not at all, and never over an existing file unless forced. */
public final class NewProgram {
    /** What was written: the file, the map it shows, and the object file name the hint builds. */
    public record Written(Path file, String map, Path object) {
    }

    private NewProgram() {
    }

    public static Written write(Path file, InitChoices choices, boolean force) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString();
        if (!name.endsWith(".c") || name.length() < 3) {
            throw new BeeException(ErrorKind.USAGE, "--file " + file + ": a C source file name ending in .c is expected",
                    "for example --file " + choices.kind().defaultFile());
        }
        if (Files.exists(file) && !force) {
            throw new BeeException(ErrorKind.USAGE, file + " exists; bee init does not overwrite it",
                    "pass --force to replace it, or --file NAME.c to write another file");
        }
        if (Files.isDirectory(file)) {
            throw new BeeException(ErrorKind.USAGE, file + " is a folder", "give a file name with --file NAME.c");
        }
        try {
            AtomicFiles.write(file, ProgramTemplate.render(choices, name).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw WriteError.of(file, e, "write it elsewhere with --file DIR/NAME.c");
        }
        Path object = file.resolveSibling(name.substring(0, name.length() - 2) + ".o");
        return new Written(file, ProgramTemplate.mapName(choices), object);
    }
}
