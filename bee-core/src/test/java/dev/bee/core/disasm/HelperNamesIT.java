package dev.bee.core.disasm;

import dev.bee.core.btf.Btf;
import dev.bee.core.btf.BtfKind;
import dev.bee.core.btf.BtfReader;
import dev.bee.core.btf.BtfType;
import dev.bee.core.testing.Requirements;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * bee's helper table against its two sources: the uapi header installed here (whose
 * {@code __BPF_FUNC_MAPPER} lists helpers in id order) and the running kernel's {@code enum bpf_func_id}.
 */
class HelperNamesIT {
    private static final Path UAPI = Path.of("/usr/include/linux/bpf.h");

    @Test
    void matchesTheUapiHeader() throws IOException {
        Requirements.require(Files.isReadable(UAPI), UAPI + " (linux-libc-dev) is not installed");
        String header = Files.readString(UAPI);
        int start = header.indexOf("FUNC_MAPPER(FN");
        assertTrue(start > 0, "no helper mapper in " + UAPI);
        String mapper = header.substring(start, header.indexOf("\n\n", start));
        Matcher m = Pattern.compile("FN\\((\\w+)(?:,\\s*(\\d+))?").matcher(mapper);
        List<String> names = new ArrayList<>();
        while (m.find()) {
            names.add(m.group(1));
        }
        assertTrue(names.size() > 200, names.toString());
        assertEquals("unspec", names.get(0));
        for (int id = 1; id < names.size(); id++) {
            assertEquals("bpf_" + names.get(id), HelperNames.of(id), "helper " + id);
        }
    }

    @Test
    void matchesTheRunningKernel() {
        Requirements.requireKernelBtf();
        Btf kernel = BtfReader.readFile(BtfReader.KERNEL_BTF, null);
        BtfType.Enum ids = (BtfType.Enum) kernel.type(kernel.find(BtfKind.ENUM, "bpf_func_id").orElseThrow());
        int checked = 0;
        for (BtfType.EnumValue v : ids.values()) {
            if (v.name().startsWith("BPF_FUNC_") && v.value() > 0) {
                assertEquals("bpf_" + v.name().substring("BPF_FUNC_".length()), HelperNames.of((int) v.value()));
                checked++;
            }
        }
        assertEquals(checked, HelperNames.all().size(), "the table holds no helper the kernel lacks");
        assertEquals("bpf_get_current_pid_tgid", HelperNames.of(14));
    }
}
