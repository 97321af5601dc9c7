package dev.bee.core.build;

import dev.bee.core.io.AtomicFiles;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * vmlinux.h precompiled by clang (a PCH). Parsing the kernel's types is most of a build (about 150 of
 * clang's 200 ms for a small program); reading them precompiled takes a fraction of that. clang's
 * {@code -include-pch} puts the header before the program's first line, so bee uses it only where the
 * program includes it there anyway, and the object is the same byte for byte (PrecompiledHeaderIT):
 * <ul>
 *   <li>the header is the one bee wrote from the kernel's BTF, whose include guard makes the program's own
 *       include of it empty (a {@code --vmlinux} file may have none);</li>
 *   <li>the program's first directive, after comments and blank lines, is {@code #include "vmlinux.h"}
 *       or {@code #include <vmlinux.h>} (nothing before it can define a macro the header tests);</li>
 *   <li>there is no vmlinux.h next to the program (a quoted include would find that one);</li>
 *   <li>no {@code --cflags} (they could define macros or move include paths).</li>
 * </ul>
 * The PCH is made with the compile's own flags, once per header, clang binary and flags, and kept in the
 * header's folder. A compile with the PCH that fails is run again without it; when that one succeeds,
 * the PCH was the cause (clang refuses one made by another clang or from a changed header), and it is
 * replaced by a note that keeps that header, clang and flags from trying again. {@code -Dbee.build.pch=false}
 * (for instance through BEE_JAVA_OPTS) turns it off.
 */
final class PrecompiledHeader {
    static final String PROPERTY = "bee.build.pch";
    /** PCHs kept per header: one per clang and flags in use (each is about 15 MB). */
    static final int KEEP = 3;
    private static final int SCAN = 64 * 1024;

    private PrecompiledHeader() {
    }

    /** Whether a PCH of the vmlinux.h bee puts on the include path can stand in for {@code source}'s include. */
    static boolean applies(Path source, List<String> userFlags) {
        if (!userFlags.isEmpty() || "false".equalsIgnoreCase(System.getProperty(PROPERTY))) {
            return false;
        }
        Path dir = source.toAbsolutePath().getParent();
        if (dir == null || Files.exists(dir.resolve("vmlinux.h"))) {
            return false;
        }
        byte[] head;
        try (InputStream in = Files.newInputStream(source)) {
            head = in.readNBytes(SCAN);
        } catch (IOException e) {
            return false;
        }
        return includesVmlinuxFirst(new String(head, StandardCharsets.ISO_8859_1));
    }

    /**
     * True when the first thing in {@code text} but comments and white space is a line
     * {@code #include "vmlinux.h"} or {@code #include <vmlinux.h>}, with at most a comment after it.
     * Anything unusual (a line continuation, an unterminated comment) answers false.
     */
    static boolean includesVmlinuxFirst(String text) {
        int i = text.startsWith("\u00ef\u00bb\u00bf") ? 3 : 0; // a UTF-8 byte order mark, read as Latin-1
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == 0x0b) {
                i++;
            } else if (text.startsWith("//", i)) {
                int end = lineEnd(text, i);
                if (end < 0) {
                    return false;
                }
                i = end;
            } else if (text.startsWith("/*", i)) {
                int end = text.indexOf("*/", i + 2);
                if (end < 0) {
                    return false;
                }
                i = end + 2;
            } else {
                break;
            }
        }
        if (i >= n || text.charAt(i) != '#') {
            return false;
        }
        int end = lineEnd(text, i);
        if (end < 0) {
            return false;
        }
        String line = text.substring(i + 1, end).strip();
        if (!line.startsWith("include")) {
            return false;
        }
        String rest = line.substring("include".length());
        if (rest.isEmpty() || (rest.charAt(0) != ' ' && rest.charAt(0) != '\t')) {
            return false;
        }
        rest = rest.strip();
        String after;
        if (rest.startsWith("\"vmlinux.h\"") || rest.startsWith("<vmlinux.h>")) {
            after = rest.substring("\"vmlinux.h\"".length()).strip();
        } else {
            return false;
        }
        return after.isEmpty() || after.startsWith("//") || (after.startsWith("/*") && after.endsWith("*/")
                && after.indexOf("*/") == after.length() - 2);
    }

    /** Where the line starting at {@code from} ends (its newline, or the text's end); -1 if it is continued. */
    private static int lineEnd(String text, int from) {
        int nl = text.indexOf('\n', from);
        int end = nl < 0 ? text.length() : nl;
        String line = text.substring(from, end);
        if (line.endsWith("\\") || line.endsWith("\\\r")) {
            return -1;
        }
        return end;
    }

    /**
     * The PCH of {@code vmlinuxDir}'s header for {@code clang} with {@code flags} (the compile's flags, no
     * input or output), made if missing; null when it cannot be made (then the build compiles without).
     */
    static Path obtain(Path clang, List<String> flags, Path vmlinuxDir, Consumer<String> progress) {
        FileStamp stamp;
        try {
            stamp = FileStamp.of(clang.toRealPath());
        } catch (IOException | RuntimeException e) {
            return null;
        }
        String key = "clang " + stamp.key() + "\nflags " + String.join("\u0000", flags);
        Path dir = vmlinuxDir.resolve("pch");
        Path pch = dir.resolve(VmlinuxHeader.sha256(key.getBytes(StandardCharsets.UTF_8)).substring(0, 32) + ".pch");
        if (Files.isRegularFile(pch)) {
            return pch;
        }
        if (Files.exists(refused(pch))) {
            return null;
        }
        progress.accept("precompiling vmlinux.h (once per kernel and clang)");
        try {
            Path tmp = AtomicFiles.tempFor(pch);
            try {
                List<String> cmd = new ArrayList<>();
                cmd.add(clang.toString());
                cmd.addAll(flags);
                cmd.addAll(List.of("-x", "c-header", vmlinuxDir.resolve("vmlinux.h").toString(), "-o", tmp.toString()));
                if (ClangCompiler.run(cmd, line -> { }) != 0) {
                    return null;
                }
                AtomicFiles.commit(tmp, pch);
            } finally {
                Files.deleteIfExists(tmp);
            }
            prune(dir, pch);
            return pch;
        } catch (IOException | RuntimeException e) {
            return null; // no PCH: the build compiles the header as usual
        }
    }

    /** Drops a PCH clang could not use, and notes not to make it again. */
    static void refuse(Path pch) {
        try {
            Files.deleteIfExists(pch);
            Files.createFile(refused(pch));
        } catch (IOException e) {
            // the next build tries it again, and falls back again
        }
    }

    private static Path refused(Path pch) {
        return pch.resolveSibling(pch.getFileName() + ".refused");
    }

    /** Keeps the {@link #KEEP} newest PCHs of a header (other clangs or flags), {@code kept} among them. */
    private static void prune(Path dir, Path kept) throws IOException {
        List<Path> all = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*.pch")) {
            s.forEach(all::add);
        }
        if (all.size() <= KEEP) {
            return;
        }
        all.remove(kept);
        all.sort(Comparator.comparing((Path p) -> {
            try {
                return Files.getLastModifiedTime(p).toMillis();
            } catch (IOException e) {
                return 0L;
            }
        }).reversed());
        for (Path p : all.subList(KEEP - 1, all.size())) {
            Files.deleteIfExists(p);
        }
    }
}
