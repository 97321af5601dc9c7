package dev.bee.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bee.core.elf.ElfFile;
import dev.bee.core.testing.Examples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code bee describe --sections} and {@code --disasm} through the command line, for a file and an image. */
class DescribeCodeIT {
    @TempDir
    Path tmp;

    @Test
    void sectionsAsTextAndJson() throws Exception {
        String obj = Examples.object("opensnoop").toString();
        CliRun text = CliRun.of("describe", obj, "--sections");
        assertEquals(0, text.exitCode(), text.err());
        assertTrue(text.out().startsWith("IDX  NAME"), text.out());
        assertTrue(text.out().matches("(?s).*\\n3\\s+tracepoint/syscalls/sys_enter_openat\\s+[0-9a-f]{8}\\s+0{16}\\s+TEXT\\s+"
                + "PROGBITS\\s+AX\\s+program handle_enter \\(tracepoint\\)\\n.*"), text.out());
        assertTrue(text.out().matches("(?s).*\\.maps\\s+[0-9a-f]{8}\\s+0{16}\\s+DATA\\s+PROGBITS\\s+WA\\s+maps start, "
                + "print_opens, bee_lost_print_opens\\n.*"), text.out());

        CliRun json = CliRun.of("describe", obj, "--sections", "-o", "json");
        assertEquals(0, json.exitCode(), json.err());
        JsonNode doc = new ObjectMapper().readTree(json.out());
        assertEquals("license", doc.get(9).get("name").asText());
        assertEquals(4, doc.get(9).get("size").asInt());
        assertEquals("license \"GPL\"", doc.get(9).get("holds").asText());
    }

    @Test
    void disassemblyWithSourceHelpersAndMaps() throws Exception {
        String obj = Examples.object("opensnoop").toString();
        CliRun text = CliRun.of("describe", obj, "--disasm", "handle_enter");
        assertEquals(0, text.exitCode(), text.err());
        String out = text.out();
        assertTrue(out.startsWith("Disassembly of section tracepoint/syscalls/sys_enter_openat:\n"), out);
        assertTrue(out.contains("0000000000000000 <handle_enter>:  (program)\n"), out);
        assertTrue(out.matches("(?s).*\\n; u64 id = bpf_get_current_pid_tgid\\(\\);  \\[opensnoop\\.c:\\d+]\\n"
                + "\\s+1:\\t85 00 00 00 0e 00 00 00\\tcall bpf_get_current_pid_tgid\\n.*"), out);
        assertTrue(out.matches("(?s).*\\tr1 = 0 ll\\n\\t\\t; map start\\n.*"), out);
        assertTrue(out.matches("(?s).*\\tif r2 == 0 goto \\+4 <LBB0_2>\\n.*"), out);
        assertTrue(!out.contains("handle_exit"), "only the program asked for: " + out);

        CliRun json = CliRun.of("describe", obj, "--disasm", "-o", "json");
        assertEquals(0, json.exitCode(), json.err());
        JsonNode doc = new ObjectMapper().readTree(json.out());
        assertEquals(2, doc.get("functions").size());
        JsonNode call = doc.get("functions").get(0).get("lines").get(1);
        assertEquals("call bpf_get_current_pid_tgid", call.get("text").asText());
        assertEquals("85 00 00 00 0e 00 00 00", call.get("bytes").asText());
        assertEquals("bpf_get_current_pid_tgid();", call.get("source").get("text").asText().replaceAll(".*= ", ""));
    }

    @Test
    void anImageShowsTheSameAsItsObject() throws Exception {
        Path out = tmp.resolve("printk.o");
        Path store = tmp.resolve("store");
        Path src = Path.of("src", "test", "resources", "objects", "printk.c").toAbsolutePath();
        CliRun build = CliRun.of("build", src.toString(), "printk:v1", "-o", out.toString(), "--storage", store.toString());
        assertEquals(0, build.exitCode(), build.err());
        for (String view : new String[]{"--sections", "--disasm"}) {
            CliRun file = CliRun.of("describe", out.toString(), view);
            CliRun image = CliRun.of("describe", "printk:v1", view, "--storage", store.toString());
            assertEquals(0, image.exitCode(), image.err());
            assertEquals(file.out(), image.out(), view);
        }
    }

    @Test
    void mistakesAreClearErrors() throws Exception {
        String obj = Examples.object("opensnoop").toString();
        CliRun missing = CliRun.of("describe", obj, "--disasm", "nosuch");
        assertEquals(7, missing.exitCode());
        assertTrue(missing.err().contains("has no program or section named 'nosuch'"), missing.err());
        assertTrue(missing.err().contains("programs: handle_enter, handle_exit"), missing.err());

        CliRun both = CliRun.of("describe", obj, "--disasm", "--sections");
        assertEquals(2, both.exitCode(), both.err());
        CliRun none = CliRun.of("describe", "--sections");
        assertEquals(2, none.exitCode(), none.err());
        assertTrue(none.err().contains("Missing required parameter: 'FILE.o|REF'"), none.err());
        // --disasm before the object takes the object as its optional PROGRAM; bee sees what was meant.
        CliRun before = CliRun.of("describe", "--disasm", obj);
        assertEquals(0, before.exitCode(), before.err());
        assertEquals(CliRun.of("describe", obj, "--disasm").out(), before.out());

        // A program whose second instruction is opcode 0xe7, which is none: an error naming the place.
        byte[] bytes = Files.readAllBytes(Path.of(obj));
        ElfFile elf = ElfFile.parse(obj, bytes);
        long code = elf.section("tracepoint/syscalls/sys_enter_openat").orElseThrow().offset();
        bytes[(int) code + 8] = (byte) 0xe7;
        Path bad = tmp.resolve("bad.o");
        Files.write(bad, bytes);
        CliRun run = CliRun.of("describe", bad.toString(), "--disasm");
        assertEquals(3, run.exitCode(), run.err());
        assertTrue(run.err().contains("section 'tracepoint/syscalls/sys_enter_openat' instruction 1 (byte 0x8: "
                + "e7 00 00 00 0e 00 00 00) uses opcode 0xe7, which is no eBPF instruction"), run.err());
        assertEquals("", run.out());
    }
}
