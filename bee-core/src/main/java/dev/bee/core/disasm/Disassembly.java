package dev.bee.core.disasm;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * The code of an object, function by function, as {@link Disassembler} reads it: each instruction with
 * its raw bytes and text, the C source line above the instructions it produced, the labels jumps land
 * on, and what the loader will patch (relocations to maps, globals and functions; CO-RE field accesses).
 */
public record Disassembly(String origin, List<Function> functions) {

    /** A program (or a subprogram in {@code .text}) and its instructions. */
    public record Function(String name, String section, boolean program, List<Line> lines) {
    }

    /**
     * One instruction. {@code index} counts 8-byte slots from the start of the section (as llvm-objdump
     * does); {@code label} names the jump target that starts here; {@code source} is set on the first
     * instruction a C line produced.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Line(int index, String bytes, String text, String label, Source source, Long jumpTarget,
                       List<Note> notes) {
    }

    /** A C source line from the object's BTF line info. */
    public record Source(String file, int line, int column, String text) {
    }

    /** What the loader does to an instruction: a relocation or a CO-RE relocation, for people. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Note(String kind, String text, String symbol, String relocation) {
    }
}
