package dev.bee.core.build;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import dev.bee.core.testing.BtfBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** vmlinux.h from a kernel's BTF (once per BTF content) or from the user's file, each in its own folder. */
class VmlinuxHeaderTest {
    @TempDir
    Path dir;

    private final List<String> progress = new ArrayList<>();

    private Path kernelBtf() throws Exception {
        BtfBuilder b = new BtfBuilder();
        int u32 = b.integer("unsigned int", 4, 0);
        b.struct("task_info", 8, false, new Object[]{"pid", u32, 0}, new Object[]{"tgid", u32, 32});
        Path btf = dir.resolve("vmlinux.btf");
        Files.write(btf, b.build());
        return btf;
    }

    @Test
    void sha256IsHex() {
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                VmlinuxHeader.sha256("abc".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void theKernelsHeaderIsGeneratedOncePerBtf() throws Exception {
        Path btf = kernelBtf();
        Path cache = dir.resolve("cache");
        Path inc = VmlinuxHeader.forKernel(btf, cache, progress::add);
        String hash = VmlinuxHeader.sha256(Files.readAllBytes(btf)).substring(0, 16);
        assertEquals(cache.resolve("vmlinux").resolve(hash), inc);
        String header = Files.readString(inc.resolve("vmlinux.h"));
        assertTrue(header.contains("struct task_info {"), header);
        assertTrue(header.contains("tgid;"), header);
        assertEquals(1, progress.size());
        assertTrue(progress.get(0).startsWith("generating vmlinux.h from " + btf), progress.get(0));

        assertEquals(inc, VmlinuxHeader.forKernel(btf, cache, progress::add));
        assertEquals(1, progress.size(), "the cached header is used");
    }

    @Test
    void aKernelWithoutBtfSaysWhatItNeeds() {
        BeeException e = assertThrows(BeeException.class,
                () -> VmlinuxHeader.forKernel(dir.resolve("none"), dir.resolve("cache"), progress::add));
        assertEquals(ErrorKind.ENVIRONMENT, e.kind());
        assertEquals("this kernel exposes no BTF at " + dir.resolve("none"), e.getMessage());
        assertTrue(e.hint().contains("CONFIG_DEBUG_INFO_BTF"), e.hint());
    }

    @Test
    void aUsersHeaderIsCopiedIntoAFolderNamedAfterItsContent() throws Exception {
        Path mine = dir.resolve("my-vmlinux.h");
        Files.writeString(mine, "/* mine */\n");
        Path inc = VmlinuxHeader.forFile(mine, dir.resolve("cache"));
        assertEquals("user-" + VmlinuxHeader.sha256(Files.readAllBytes(mine)).substring(0, 16),
                inc.getFileName().toString());
        assertEquals("/* mine */\n", Files.readString(inc.resolve("vmlinux.h")));

        Files.writeString(mine, "/* changed */\n");
        Path other = VmlinuxHeader.forFile(mine, dir.resolve("cache"));
        assertNotEquals(inc, other, "another content, another folder");
        assertEquals("/* changed */\n", Files.readString(other.resolve("vmlinux.h")));
    }

    @Test
    void aMissingUsersHeaderIsNotFound() {
        BeeException e = assertThrows(BeeException.class,
                () -> VmlinuxHeader.forFile(dir.resolve("nope.h"), dir.resolve("cache")));
        assertEquals(ErrorKind.NOT_FOUND, e.kind());
        assertEquals("--vmlinux " + dir.resolve("nope.h") + ": no such file", e.getMessage());
    }
}
