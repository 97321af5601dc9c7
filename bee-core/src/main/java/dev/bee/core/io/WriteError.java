package dev.bee.core.io;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * "Cannot write": one kind ({@link ErrorKind#WRITE}) and one message shape for every file or folder bee
 * fails to write, whatever the command: {@code cannot write PATH: REASON}, and a hint for the reason.
 */
public final class WriteError {
    private WriteError() {
    }

    /** {@code e}, met while writing {@code path}, as the error the user sees; {@code choice} says how to pick another path. */
    public static BeeException of(Path path, IOException e, String choice) {
        String reason = reason(path, e);
        String fix = fix(e, reason);
        String hint = fix == null ? choice : choice == null ? fix : fix + "; or " + choice;
        return new BeeException(ErrorKind.WRITE, "cannot write " + path + ": " + reason, hint, e);
    }

    /** The system's reason (ENOSPC, EROFS...) without the path the JDK repeats. */
    private static String reason(Path path, IOException e) {
        if (e instanceof FileAlreadyExistsException fe && fe.getFile() != null
                && !Path.of(fe.getFile()).equals(path) && !Files.isDirectory(Path.of(fe.getFile()))) {
            return "a part of the path is a file, not a folder"; // createDirectories met it
        }
        if (e instanceof NotDirectoryException) {
            return "a part of the path is a file, not a folder";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            String r = fs.getReason();
            return r.equals("Not a directory") ? "a part of the path is a file, not a folder" : r;
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private static String fix(IOException e, String reason) {
        if (reason.contains("No space left")) {
            return "free some space on that file system";
        }
        if (reason.contains("Read-only file system")) {
            return "that file system is mounted read-only";
        }
        if (reason.contains("not a folder")) {
            return "check the path: a file stands where a folder is needed";
        }
        if (e instanceof AccessDeniedException) {
            return "check the owner and mode of the folder";
        }
        return null;
    }
}
