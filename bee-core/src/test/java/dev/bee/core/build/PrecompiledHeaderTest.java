package dev.bee.core.build;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.bee.core.build.PrecompiledHeader.includesVmlinuxFirst;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When a precompiled vmlinux.h can stand in for a program's own include of it, and when not. */
class PrecompiledHeaderTest {
    @TempDir
    Path tmp;

    @Test
    void theIncludeMustComeFirstWithOnlyCommentsBeforeIt() {
        assertTrue(includesVmlinuxFirst("#include \"vmlinux.h\"\n#include <bpf/bpf_helpers.h>\n"));
        assertTrue(includesVmlinuxFirst("// SPDX-License-Identifier: GPL-2.0\n/* opensnoop:\n * a tool */\n\n"
                + "#include \"vmlinux.h\"\n"));
        assertTrue(includesVmlinuxFirst("\u00ef\u00bb\u00bf  \t\r\n# include <vmlinux.h> // the kernel's types\nint x;"));
        assertTrue(includesVmlinuxFirst("#include \"vmlinux.h\" /* types */\n"));
        assertTrue(includesVmlinuxFirst("#include \"vmlinux.h\""));

        assertFalse(includesVmlinuxFirst("#define BPF_NO_PRESERVE_ACCESS_INDEX\n#include \"vmlinux.h\"\n"),
                "a macro the header tests");
        assertFalse(includesVmlinuxFirst("#include <linux/bpf.h>\n#include \"vmlinux.h\"\n"));
        assertFalse(includesVmlinuxFirst("#if 1\n#include \"vmlinux.h\"\n#endif\n"));
        assertFalse(includesVmlinuxFirst("int x;\n#include \"vmlinux.h\"\n"));
        assertFalse(includesVmlinuxFirst("#include \"my/vmlinux.h\"\n"));
        assertFalse(includesVmlinuxFirst("#include \"vmlinux.hpp\"\n"));
        assertFalse(includesVmlinuxFirst("#include VMLINUX\n"));
        assertFalse(includesVmlinuxFirst("#includ \"vmlinux.h\"\n"));
        assertFalse(includesVmlinuxFirst("#include \"vmlinux.h\" int x;\n"));
        assertFalse(includesVmlinuxFirst("#include \"vmlinux.h\" /* a comment\n that goes on */\n"));
        assertFalse(includesVmlinuxFirst("// a comment \\\n#define X 1\n#include \"vmlinux.h\"\n"),
                "a continued line comment hides the define from a reader that misses the continuation");
        assertFalse(includesVmlinuxFirst("#include \\\n\"vmlinux.h\"\n"));
        assertFalse(includesVmlinuxFirst("/* never closed\n#include \"vmlinux.h\"\n"));
        assertFalse(includesVmlinuxFirst(""));
    }

    @Test
    void notWithFlagsOrAVmlinuxHeaderOfItsOwn() throws Exception {
        Path src = tmp.resolve("prog.c");
        Files.writeString(src, "#include \"vmlinux.h\"\nint x;\n");
        assertTrue(PrecompiledHeader.applies(src, List.of()));
        assertFalse(PrecompiledHeader.applies(src, List.of("-DDEBUG")), "flags could change the header");
        Files.writeString(tmp.resolve("vmlinux.h"), "/* the program's own */\n");
        assertFalse(PrecompiledHeader.applies(src, List.of()), "a quoted include finds the program's own header");
    }

    @Test
    void theSwitchTurnsItOff() throws Exception {
        Path src = tmp.resolve("prog.c");
        Files.writeString(src, "#include \"vmlinux.h\"\n");
        String old = System.getProperty(PrecompiledHeader.PROPERTY);
        try {
            System.setProperty(PrecompiledHeader.PROPERTY, "false");
            assertFalse(PrecompiledHeader.applies(src, List.of()));
        } finally {
            if (old == null) {
                System.clearProperty(PrecompiledHeader.PROPERTY);
            } else {
                System.setProperty(PrecompiledHeader.PROPERTY, old);
            }
        }
    }
}
