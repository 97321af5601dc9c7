package dev.bee.core.build;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the clang driver decides before and around clang: the source must be C text, --clang must be
 * executable, --cflags split on whitespace, clang's version read from its first line. No clang needed.
 */
class ClangCompilerTest {
    @TempDir
    Path dir;

    private final List<String> progress = new ArrayList<>();

    private BeeException compileFails(Path source, Path clang) {
        ClangCompiler c = new ClangCompiler(dir.resolve("cache"), progress::add, line -> { });
        return assertThrows(BeeException.class,
                () -> c.compile(new CompileRequest(source, dir.resolve("out.o"), List.of(), clang, null)));
    }

    private Path script(String name, String body) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    @Test
    void aMissingSourceIsNotFound() {
        BeeException e = compileFails(dir.resolve("nope.c"), null);
        assertEquals(ErrorKind.NOT_FOUND, e.kind());
        assertEquals(dir.resolve("nope.c") + ": no such file", e.getMessage());
    }

    @Test
    void aCompiledObjectGivenAsSourceIsRefusedWithWhatToDoInstead() throws Exception {
        Path elf = dir.resolve("probe.c");
        Files.write(elf, new byte[]{0x7f, 'E', 'L', 'F', 2, 1, 1, 0});
        BeeException e = compileFails(elf, null);
        assertEquals(ErrorKind.USAGE, e.kind());
        assertEquals(elf + " is a compiled object (ELF), not C source", e.getMessage());
        assertTrue(e.hint().contains("bee describe " + elf), e.hint());
        assertFalse(Files.exists(dir.resolve("out.o")));
    }

    @Test
    void aBinaryFileGivenAsSourceIsRefused() throws Exception {
        Path bin = dir.resolve("probe.c");
        Files.write(bin, new byte[]{'i', 'n', 't', 0, 1, 2});
        BeeException e = compileFails(bin, null);
        assertEquals(ErrorKind.USAGE, e.kind());
        assertEquals(bin + " is a binary file, not C source", e.getMessage());
    }

    @Test
    void aClangThatIsNotExecutableIsRefused() throws Exception {
        Path src = dir.resolve("probe.c");
        Files.writeString(src, "int x;\n");
        Path clang = dir.resolve("clang");
        Files.writeString(clang, "not a program");
        BeeException e = compileFails(src, clang);
        assertEquals(ErrorKind.ENVIRONMENT, e.kind());
        assertEquals("--clang " + clang + " is not an executable file", e.getMessage());
    }

    @Test
    void cflagsAreSplitOnWhitespace() {
        assertEquals(List.of("-DX=1", "-Wall", "-I/x"), ClangCompiler.splitFlags("  -DX=1\t-Wall \n -I/x "));
        assertEquals(List.of(), ClangCompiler.splitFlags("   "));
        assertEquals(List.of("-O1"), ClangCompiler.splitFlags("-O1"));
    }

    @Test
    void theVersionIsReadFromClangsFirstLine() throws Exception {
        Path clang = script("clang", "echo 'Debian clang version 14.0.6'; echo 'Target: x86_64-pc-linux-gnu'");
        assertEquals("14.0.6", ClangCompiler.clangVersion(clang));
        Path odd = script("clang-odd", "echo 'some compiler 1'");
        assertEquals("some compiler 1", ClangCompiler.clangVersion(odd), "the whole line when it names no version");
    }

    @Test
    void aClangWhoseVersionFailsIsAnEnvironmentError() throws Exception {
        Path broken = script("clang-broken", "exit 3");
        BeeException e = assertThrows(BeeException.class, () -> ClangCompiler.clangVersion(broken));
        assertEquals(ErrorKind.ENVIRONMENT, e.kind());
        assertEquals(broken + " --version failed", e.getMessage());
        Path silent = script("clang-silent", "exit 0");
        assertThrows(BeeException.class, () -> ClangCompiler.clangVersion(silent), "no output");
    }
}
