package dev.bee.core.libbpf;

import dev.bee.core.testing.Requirements;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * bee writes struct bpf_link_create_opts by hand; the installed libbpf header is the judge of its size (a size
 * libbpf does not expect makes every tcx attach fail with EINVAL) and of where sz sits.
 */
class LinkCreateOptsTest {
    @Test
    void sizeAndOffsetsMatchTheInstalledLibbpfHeader() throws Exception {
        Path cc = Requirements.requireTool("clang");
        Requirements.require(Files.isReadable(Path.of("/usr/include/bpf/bpf.h")),
                "needs libbpf's headers (apt-get install libbpf-dev)");
        Path dir = Files.createTempDirectory("bee-opts");
        Path src = dir.resolve("opts.c");
        Files.writeString(src, """
                #include <stddef.h>
                #include <stdio.h>
                #include <bpf/bpf.h>
                int main(void) {
                    printf("%zu %zu\\n", sizeof(struct bpf_link_create_opts),
                           offsetof(struct bpf_link_create_opts, sz));
                    return 0;
                }
                """);
        Path exe = dir.resolve("opts");
        Process c = new ProcessBuilder(cc.toString(), "-o", exe.toString(), src.toString()).redirectErrorStream(true)
                .start();
        String log = new String(c.getInputStream().readAllBytes());
        assertEquals(0, c.waitFor(), log);
        Process r = new ProcessBuilder(exe.toString()).start();
        String out = new String(r.getInputStream().readAllBytes()).strip();
        assertEquals(0, r.waitFor());
        assertEquals(LinkCreateOpts.SIZE + " " + LinkCreateOpts.SZ_OFFSET, out);
    }
}
