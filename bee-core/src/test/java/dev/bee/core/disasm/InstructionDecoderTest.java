package dev.bee.core.disasm;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import dev.bee.core.object.ObjectReader;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Code that is not whole instructions, and opcodes that are none, are errors that say where. */
class InstructionDecoderTest {

    @Test
    void partialInstruction() {
        BeeException e = assertThrows(BeeException.class,
                () -> InstructionDecoder.decode("section 's'", new byte[12], ByteOrder.LITTLE_ENDIAN));
        assertEquals(ErrorKind.INPUT, e.kind());
        assertTrue(e.getMessage().contains("12 bytes, not a whole number of 8-byte instructions"), e.getMessage());
    }

    @Test
    void lddwCutOffByTheEndOfTheSection() {
        BeeException e = assertThrows(BeeException.class, () -> InstructionDecoder.decode("section 's'",
                BpfSyntaxTest.concat(CodeObjects.insn(0xb7, 0, 0, 0, 0), CodeObjects.insn(0x18, 1, 0, 0, 0)),
                ByteOrder.LITTLE_ENDIAN));
        assertTrue(e.getMessage().contains("the 16-byte lddw at instruction 1 is cut off"), e.getMessage());
    }

    @Test
    void lddwFollowedByAnotherInstruction() {
        BeeException e = assertThrows(BeeException.class, () -> InstructionDecoder.decode("section 's'",
                BpfSyntaxTest.concat(CodeObjects.insn(0x18, 1, 0, 0, 0), CodeObjects.insn(0x95, 0, 0, 0, 0)),
                ByteOrder.LITTLE_ENDIAN));
        assertTrue(e.getMessage().contains("instruction 1 (offset 0x8) must be the second half of the lddw"),
                e.getMessage());
    }

    @Test
    void unknownOpcodeInAnObjectNamesSectionInstructionAndBytes() {
        byte[] elf = CodeObjects.object(BpfSyntaxTest.concat(CodeObjects.insn(0xb7, 0, 0, 0, 0),
                CodeObjects.insn(0xe7, 1, 0, 0, 0), CodeObjects.insn(0x95, 0, 0, 0, 0)));
        BeeException e = assertThrows(BeeException.class,
                () -> Disassembler.disassemble(ObjectReader.read("bad.o", elf), null));
        assertEquals(ErrorKind.INPUT, e.kind());
        assertEquals("bad.o: section 'socket' instruction 1 (byte 0x8: e7 01 00 00 00 00 00 00) uses opcode 0xe7, "
                + "which is no eBPF instruction", e.getMessage());
        assertTrue(e.hint().contains("rebuild"), e.hint());
    }

    @Test
    void aWellFormedObjectDisassembles() {
        byte[] elf = CodeObjects.object(BpfSyntaxTest.concat(CodeObjects.insn(0x15, 1, 0, 1, 0),
                CodeObjects.insn(0xb7, 0, 0, 0, 0), CodeObjects.insn(0x95, 0, 0, 0, 0)));
        Disassembly d = Disassembler.disassemble(ObjectReader.read("ok.o", elf), null);
        assertEquals(1, d.functions().size());
        assertEquals("f", d.functions().get(0).name());
        assertEquals("if r1 == 0 goto +1 <f+0x10>", d.functions().get(0).lines().get(0).text());
        assertEquals(2L, d.functions().get(0).lines().get(0).jumpTarget());
    }
}
