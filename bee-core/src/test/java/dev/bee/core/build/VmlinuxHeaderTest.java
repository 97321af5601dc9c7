package dev.bee.core.build;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import dev.bee.core.build.VmlinuxHeader.Found;
import dev.bee.core.build.VmlinuxHeader.Work;
import dev.bee.core.testing.BtfBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cached vmlinux.h is found from the BTF file's stamp in this boot, and only while the BTF is the
 * one it was made from: the seams are the BTF's path (a small hand-made BTF instead of the kernel's), the
 * boot id and the clock.
 */
class VmlinuxHeaderTest {
    @TempDir
    Path tmp;

    private final List<String> progress = new ArrayList<>();

    /** A BTF with one struct, whose name sets the content; names of the same length give the same size. */
    private static byte[] btf(String structName) {
        BtfBuilder b = new BtfBuilder();
        int u32 = b.integer("unsigned int", 4, 0);
        b.struct(structName, 4, false, new Object[]{"value", u32, 0});
        return b.build();
    }

    /** Writes {@code content} in place (same inode) and dates it {@code age} back, as an old file. */
    private static Path write(Path file, byte[] content, Duration age) throws Exception {
        Files.write(file, content);
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(age)));
        return file;
    }

    /** A clock late enough that every file written by the test has settled. */
    private static Instant later() {
        return Instant.now().plus(Duration.ofMinutes(1));
    }

    private Found find(Path btf, String boot, Instant now) {
        return VmlinuxHeader.find(btf, tmp.resolve("cache"), boot, now, progress::add);
    }

    @Test
    void theSameBtfIsFoundByItsStampAlone() throws Exception {
        Path btf = write(tmp.resolve("vmlinux"), btf("task_one"), Duration.ofHours(1));
        Found first = find(btf, "boot-1", later());
        assertEquals(Work.GENERATED, first.work());
        assertTrue(Files.readString(first.dir().resolve("vmlinux.h")).contains("struct task_one"));

        Found second = find(btf, "boot-1", later());
        assertEquals(Work.STAMP, second.work());
        assertEquals(first.dir(), second.dir());
        assertEquals(1, progress.size(), "generated once: " + progress);
    }

    @Test
    void aChangedBtfAtTheSamePathIsNeverGivenTheOldHeader() throws Exception {
        Path btf = write(tmp.resolve("vmlinux"), btf("task_one"), Duration.ofHours(2));
        Found first = find(btf, "boot-1", later());
        assertEquals(Work.STAMP, find(btf, "boot-1", later()).work());

        // Same size, same inode, same boot: only the times tell the content changed.
        write(btf, btf("task_two"), Duration.ofHours(1));
        Found second = find(btf, "boot-1", later());
        assertEquals(Work.GENERATED, second.work());
        assertNotEquals(first.dir(), second.dir());
        assertTrue(Files.readString(second.dir().resolve("vmlinux.h")).contains("struct task_two"));
        assertEquals(second.dir(), find(btf, "boot-1", later()).dir());
    }

    @Test
    void anotherBootReadsTheBtfAgain() throws Exception {
        Path btf = write(tmp.resolve("vmlinux"), btf("task_one"), Duration.ofHours(1));
        Found first = find(btf, "boot-1", later());
        assertEquals(Work.STAMP, find(btf, "boot-1", later()).work());

        // The file is untouched, stamp and all: a reboot into another kernel can leave
        // /sys/kernel/btf/vmlinux with the same inode, size and times, so only the boot id tells.
        Found rebooted = find(btf, "boot-2", later());
        assertEquals(Work.HASHED, rebooted.work(), "a new boot may be a new kernel: the BTF is read and hashed");
        assertEquals(first.dir(), rebooted.dir(), "same content, same header");
        assertEquals(Work.STAMP, find(btf, "boot-2", later()).work());
    }

    @Test
    void aFileThatJustChangedIsNotRemembered() throws Exception {
        Path btf = tmp.resolve("vmlinux");
        Files.write(btf, btf("task_one"));
        Instant now = Instant.now();
        assertEquals(Work.GENERATED, find(btf, "boot-1", now).work());
        // Another write within the same clock tick would keep the stamp: the file is hashed until it settles.
        assertEquals(Work.HASHED, find(btf, "boot-1", now).work());
        assertEquals(Work.HASHED, find(btf, "boot-1", later()).work());
        assertEquals(Work.STAMP, find(btf, "boot-1", later()).work());
    }

    @Test
    void withoutABootIdTheBtfIsHashedEveryTime() throws Exception {
        Path btf = write(tmp.resolve("vmlinux"), btf("task_one"), Duration.ofHours(1));
        assertEquals(Work.GENERATED, find(btf, null, later()).work());
        assertEquals(Work.HASHED, find(btf, null, later()).work());
    }

    @Test
    void anEntryWhoseHeaderWasDeletedMakesItAgain() throws Exception {
        Path btf = write(tmp.resolve("vmlinux"), btf("task_one"), Duration.ofHours(1));
        Found first = find(btf, "boot-1", later());
        Files.delete(first.dir().resolve("vmlinux.h"));
        Found again = find(btf, "boot-1", later());
        assertEquals(Work.GENERATED, again.work());
        assertTrue(Files.isRegularFile(again.dir().resolve("vmlinux.h")));
    }

    @Test
    void aMissingBtfSaysTheKernelHasNone() {
        BeeException e = assertThrows(BeeException.class, () -> find(tmp.resolve("absent"), "boot-1", later()));
        assertEquals(ErrorKind.ENVIRONMENT, e.kind());
        assertTrue(e.getMessage().contains("no BTF"), e.getMessage());
    }

    @Test
    void bootIdIsReadTrimmedOrNull() throws Exception {
        Path id = tmp.resolve("boot_id");
        Files.writeString(id, "a6ad6346-03e4-4787-b560-584f08652ff7\n");
        assertEquals("a6ad6346-03e4-4787-b560-584f08652ff7", VmlinuxHeader.bootId(id));
        assertNull(VmlinuxHeader.bootId(tmp.resolve("absent")));
        Files.writeString(id, "\n");
        assertNull(VmlinuxHeader.bootId(id));
    }

    @Test
    void sha256IsHex() {
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                VmlinuxHeader.sha256("abc".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    }

    @Test
    void aUsersHeaderIsCopiedIntoAFolderNamedAfterItsContent() throws Exception {
        Path mine = tmp.resolve("my-vmlinux.h");
        Files.writeString(mine, "/* mine */\n");
        Path inc = VmlinuxHeader.forFile(mine, tmp.resolve("cache"));
        assertEquals("user-" + VmlinuxHeader.sha256(Files.readAllBytes(mine)).substring(0, 16),
                inc.getFileName().toString());
        assertEquals("/* mine */\n", Files.readString(inc.resolve("vmlinux.h")));

        Files.writeString(mine, "/* changed */\n");
        Path other = VmlinuxHeader.forFile(mine, tmp.resolve("cache"));
        org.junit.jupiter.api.Assertions.assertNotEquals(inc, other, "another content, another folder");
        assertEquals("/* changed */\n", Files.readString(other.resolve("vmlinux.h")));
    }

    @Test
    void aMissingUsersHeaderIsNotFound() {
        BeeException e = org.junit.jupiter.api.Assertions.assertThrows(BeeException.class,
                () -> VmlinuxHeader.forFile(tmp.resolve("nope.h"), tmp.resolve("cache")));
        assertEquals(ErrorKind.NOT_FOUND, e.kind());
        assertEquals("--vmlinux " + tmp.resolve("nope.h") + ": no such file", e.getMessage());
    }
}
