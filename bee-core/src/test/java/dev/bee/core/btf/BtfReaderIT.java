package dev.bee.core.btf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bee.core.elf.ElfFile;
import dev.bee.core.testing.Examples;
import dev.bee.core.testing.Requirements;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The BTF reader against {@code bpftool btf dump -j}: every type's kind, name, size, references,
 * members (offsets, bitfield sizes), enum values, parameters and section variables, for every
 * example object and for the running kernel's BTF.
 */
class BtfReaderIT {
    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

    static List<String> examples() {
        return Examples.names();
    }

    @ParameterizedTest
    @MethodSource("examples")
    void objectBtfMatchesBpftool(String example) throws Exception {
        Path obj = Examples.object(example);
        ElfFile elf = ElfFile.parse(obj.toString(), Files.readAllBytes(obj));
        Btf btf = BtfReader.read(obj.toString(), elf.data(elf.section(".BTF").orElseThrow()));
        compare(btf, obj);
    }

    @Test
    void kernelBtfMatchesBpftool() {
        Requirements.requireKernelBtf();
        Btf btf = BtfReader.readKernel();
        assertTrue(btf.count() > 1000, "vmlinux has thousands of types");
        compare(btf, BtfReader.KERNEL_BTF);
        int task = btf.find(BtfKind.STRUCT, "task_struct").orElseThrow();
        assertTrue(btf.sizeOf(task) > 1000);
    }

    @Test
    void moduleSplitBtfReadsOnTopOfVmlinux() throws Exception {
        Requirements.requireKernelBtf();
        Path dir = Path.of("/sys/kernel/btf");
        List<Path> modules;
        try (var s = Files.list(dir)) {
            modules = s.filter(p -> !p.getFileName().toString().equals("vmlinux")).limit(3).toList();
        }
        // Not a missing capability but a fact of this kernel: splitBtfMatchesBpftool covers split BTF always.
        org.junit.jupiter.api.Assumptions.assumeFalse(modules.isEmpty(), "no kernel modules with BTF are loaded");
        Btf base = BtfReader.readKernel();
        for (Path m : modules) {
            Btf split = BtfReader.readFile(m, base);
            assertTrue(split.count() >= base.count());
            String json = Examples.exec(Requirements.requireTool("bpftool").toString(), "-B",
                    BtfReader.KERNEL_BTF.toString(), "btf", "dump", "file", m.toString(), "-j");
            JsonNode types = new ObjectMapper().readTree(json).get("types");
            assertEquals(split.count() - base.count(), types.size(), m + " type count");
            for (JsonNode t : types) {
                assertEquals(describe(t), describe(split, t.get("id").asInt()), m + " type " + t.get("id"));
            }
        }
    }

    @Test
    void splitBtfMatchesBpftool(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        dev.bee.core.testing.BtfBuilder base = new dev.bee.core.testing.BtfBuilder();
        int i32 = base.integer("int", 4, 1);
        int node = base.struct("node", 16, false, new Object[]{"value", i32, 0}, new Object[]{"pad", i32, 32});
        byte[] baseRaw = base.build();
        Btf baseBtf = BtfReader.read("base", baseRaw);
        dev.bee.core.testing.BtfBuilder split = new dev.bee.core.testing.BtfBuilder(baseBtf.count(),
                baseBtf.stringsLength());
        int ptr = split.ptr(node);
        split.typedef("node_ptr", ptr);
        split.struct("list", 24, false, new Object[]{"head", ptr, 0}, new Object[]{"first", node, 64});
        Path basePath = tmp.resolve("base.btf");
        Path splitPath = tmp.resolve("split.btf");
        Files.write(basePath, baseRaw);
        Files.write(splitPath, split.build());
        Btf btf = BtfReader.readFile(splitPath, baseBtf);
        assertEquals(6, btf.count());
        assertEquals(24, btf.sizeOf(btf.find(BtfKind.STRUCT, "list").orElseThrow()));
        assertEquals("node_ptr", btf.cName(4));
        String json = Examples.exec(Requirements.requireTool("bpftool").toString(), "-B", basePath.toString(),
                "btf", "dump", "file", splitPath.toString(), "-j");
        JsonNode types = new ObjectMapper().readTree(json).get("types");
        assertEquals(3, types.size());
        for (JsonNode t : types) {
            assertEquals(describe(t), describe(btf, t.get("id").asInt()));
        }
    }

    private static void compare(Btf btf, Path file) {
        String json = Examples.exec(Requirements.requireTool("bpftool").toString(), "btf", "dump", "file",
                file.toString(), "-j");
        JsonNode types;
        try {
            types = new ObjectMapper().readTree(json).get("types");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertEquals(types.size() + 1, btf.count(), "type count (bpftool does not list void)");
        List<String> mismatches = new ArrayList<>();
        for (JsonNode t : types) {
            int id = t.get("id").asInt();
            String expected = describe(t);
            String actual = describe(btf, id);
            if (!expected.equals(actual) && mismatches.size() < 10) {
                mismatches.add("type " + id + "\n  bpftool: " + expected + "\n  bee:     " + actual);
            }
        }
        assertTrue(mismatches.isEmpty(), String.join("\n", mismatches));
    }

    /** bpftool's JSON for one type, in a canonical text form. */
    private static String describe(JsonNode t) {
        StringBuilder sb = new StringBuilder(t.get("kind").asText()).append(' ').append(name(t.get("name").asText()));
        for (String f : List.of("size", "type_id", "ret_type_id", "index_type_id", "nr_elems", "nr_bits",
                "bits_offset", "component_idx")) {
            if (t.has(f)) {
                sb.append(' ').append(f).append('=').append(t.get(f).asText());
            }
        }
        if (t.has("fwd_kind")) {
            sb.append(" fwd=").append(t.get("fwd_kind").asText());
        }
        if (t.has("encoding") && t.get("kind").asText().equals("INT")) {
            sb.append(" enc=").append(t.get("encoding").asText());
        }
        if (t.has("linkage")) {
            sb.append(" linkage=").append(t.get("linkage").asText());
        }
        for (JsonNode m : iter(t, "members")) {
            sb.append(" [").append(name(m.get("name").asText())).append(':').append(m.get("type_id").asInt())
                    .append('@').append(m.get("bits_offset").asLong())
                    .append('/').append(m.has("bitfield_size") ? m.get("bitfield_size").asInt() : 0).append(']');
        }
        boolean enum32 = t.get("kind").asText().equals("ENUM");
        for (JsonNode v : iter(t, "values")) {
            BigInteger val = new BigInteger(v.get("val").asText());
            sb.append(" [").append(v.get("name").asText()).append('=')
                    .append(enum32 ? BigInteger.valueOf(val.intValue()) : val.mod(TWO_64)).append(']');
        }
        for (JsonNode p : iter(t, "params")) {
            sb.append(" (").append(name(p.get("name").asText())).append(':').append(p.get("type_id").asInt()).append(')');
        }
        for (JsonNode v : iter(t, "vars")) {
            sb.append(" {").append(v.get("type_id").asInt()).append('@').append(v.get("offset").asLong())
                    .append('+').append(v.get("size").asLong()).append('}');
        }
        return sb.toString();
    }

    /** bee's reading of the same type, in the same form. */
    private static String describe(Btf btf, int id) {
        BtfType t = btf.type(id);
        StringBuilder sb = new StringBuilder(t.kind().name()).append(' ').append(name(t.name()));
        if (t instanceof BtfType.Int i) {
            sb.append(" size=").append(i.size()).append(" nr_bits=").append(i.bits()).append(" bits_offset=")
                    .append(i.bitOffset()).append(" enc=")
                    .append(i.isBool() ? "BOOL" : i.isChar() ? "CHAR" : i.signed() ? "SIGNED" : "(none)");
        } else if (t instanceof BtfType.Ptr p) {
            sb.append(" type_id=").append(p.type());
        } else if (t instanceof BtfType.Array a) {
            sb.append(" type_id=").append(a.elementType()).append(" index_type_id=").append(a.indexType())
                    .append(" nr_elems=").append(a.length());
        } else if (t instanceof BtfType.Struct s) {
            sb.append(" size=").append(s.size());
            for (BtfType.Member m : s.members()) {
                sb.append(" [").append(name(m.name())).append(':').append(m.type()).append('@').append(m.bitOffset())
                        .append('/').append(m.bitfieldSize()).append(']');
            }
        } else if (t instanceof BtfType.Enum e) {
            sb.append(" size=").append(e.size());
            // bpftool 7.1 prints every 32-bit enum value as a signed int, whatever the signedness flag.
            for (BtfType.EnumValue v : e.values()) {
                sb.append(" [").append(v.name()).append('=').append(e.wide()
                        ? BigInteger.valueOf(v.value()).mod(TWO_64) : BigInteger.valueOf((int) v.value())).append(']');
            }
        } else if (t instanceof BtfType.Fwd f) {
            sb.append(" fwd=").append(f.union() ? "union" : "struct");
        } else if (t instanceof BtfType.Typedef d) {
            sb.append(" type_id=").append(d.type());
        } else if (t instanceof BtfType.Modifier m) {
            sb.append(" type_id=").append(m.type());
        } else if (t instanceof BtfType.Func f) {
            sb.append(" type_id=").append(f.protoType()).append(" linkage=")
                    .append(List.of("static", "global", "extern").get(f.linkage()));
        } else if (t instanceof BtfType.FuncProto p) {
            sb.append(" ret_type_id=").append(p.returnType());
            for (BtfType.Param q : p.params()) {
                sb.append(" (").append(name(q.name())).append(':').append(q.type()).append(')');
            }
        } else if (t instanceof BtfType.Var v) {
            sb.append(" type_id=").append(v.type()).append(" linkage=")
                    .append(List.of("static", "global", "extern").get(v.linkage()));
        } else if (t instanceof BtfType.Datasec d) {
            sb.append(" size=").append(d.size());
            for (BtfType.SectionVar v : d.vars()) {
                sb.append(" {").append(v.type()).append('@').append(v.offset()).append('+').append(v.size()).append('}');
            }
        } else if (t instanceof BtfType.Float f) {
            sb.append(" size=").append(f.size());
        } else if (t instanceof BtfType.DeclTag d) {
            sb.append(" type_id=").append(d.type()).append(" component_idx=").append(d.componentIndex());
        }
        return sb.toString();
    }

    private static Iterable<JsonNode> iter(JsonNode t, String field) {
        return t.has(field) ? t.get(field) : List.of();
    }

    private static String name(String n) {
        return n.isEmpty() || n.equals("(anon)") ? "(anon)" : n;
    }
}
