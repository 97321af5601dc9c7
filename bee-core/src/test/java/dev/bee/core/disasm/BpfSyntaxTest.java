package dev.bee.core.disasm;

import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The syntax of each instruction class; the expected texts are what llvm-objdump 14 prints for the same
 * bytes (DisassemblerLlvmIT checks every opcode against it), and newer llvm's for the v4 additions.
 */
class BpfSyntaxTest {
    private static String text(int opcode, int dst, int src, int off, int imm) {
        return one(CodeObjects.insn(opcode, dst, src, off, imm)).orElse("<unknown>");
    }

    private static Optional<String> one(byte[] code) {
        Instruction in = InstructionDecoder.decode("test", code, ByteOrder.LITTLE_ENDIAN).get(0);
        return BpfSyntax.text(in, id -> id == 14 ? "bpf_get_current_pid_tgid" : null);
    }

    @Test
    void aluInBothWidths() {
        assertEquals("r1 += 5", text(0x07, 1, 0, 0, 5));
        assertEquals("w1 += -7", text(0x04, 1, 0, 0, -7));
        assertEquals("r1 -= r2", text(0x1f, 1, 2, 0, 0));
        assertEquals("w1 s>>= w2", text(0xcc, 1, 2, 0, 0));
        assertEquals("r1 = -r1", text(0x87, 1, 0, 0, 0));
        assertEquals("w1 = -w1", text(0x84, 1, 0, 0, 0));
        assertEquals("r1 = r2", text(0xbf, 1, 2, 0, 0));
        assertEquals("w1 = -7", text(0xb4, 1, 0, 0, -7));
        assertEquals("r1 = be16 r1", text(0xdc, 1, 0, 0, 16));
        assertEquals("r1 = le64 r1", text(0xd4, 1, 0, 0, 64));
        assertEquals("<unknown>", text(0xd4, 1, 0, 0, 8));
        assertEquals("<unknown>", text(0x8f, 1, 2, 0, 0)); // neg takes no source register
        assertEquals("<unknown>", text(0xe7, 1, 0, 0, 0));
    }

    @Test
    void memory() {
        assertEquals("r1 = *(u64 *)(r1 + 112)", text(0x79, 1, 1, 112, 0));
        assertEquals("*(u64 *)(r10 - 8) = r1", text(0x7b, 10, 1, -8, 0));
        assertEquals("*(u32 *)(r10 - 12) = r6", text(0x63, 10, 6, -12, 0));
        assertEquals("r1 = *(u8 *)(r2 + 0)", text(0x71, 1, 2, 0, 0));
        assertEquals("r0 = *(u16 *)skb[5]", text(0x28, 0, 0, 0, 5));
        assertEquals("r0 = *(u32 *)skb[r2]", text(0x40, 0, 2, 0, 0));
        assertEquals("lock *(u64 *)(r1 + 3) += r2", text(0xdb, 1, 2, 3, 0));
        assertEquals("lock *(u32 *)(r1 + 3) += r2", text(0xc3, 1, 2, 3, 0));
        assertEquals("r2 = atomic_fetch_xor((u64 *)(r1 + 3), r2)", text(0xdb, 1, 2, 3, 0xa1));
        assertEquals("r2 = xchg_64(r1 + 3, r2)", text(0xdb, 1, 2, 3, 0xe1));
        assertEquals("r0 = cmpxchg_64(r1 + 3, r0, r2)", text(0xdb, 1, 2, 3, 0xf1));
        assertEquals("<unknown>", text(0xdb, 1, 2, 3, 0x99));
        assertEquals("<unknown>", text(0x38, 0, 0, 0, 5)); // BPF_ABS of 8 bytes
    }

    @Test
    void jumpsAndCalls() {
        assertEquals("if r1 s> -1 goto +4", text(0x65, 1, 0, 4, -1));
        assertEquals("if w1 <= w2 goto -3", text(0xbe, 1, 2, -3, 0));
        assertEquals("if r1 & r2 goto +0", text(0x4d, 1, 2, 0, 0));
        assertEquals("goto +3", text(0x05, 0, 0, 3, 0));
        assertEquals("call bpf_get_current_pid_tgid", text(0x85, 0, 0, 0, 14));
        assertEquals("call 999", text(0x85, 0, 0, 0, 999));
        assertEquals("call -1", text(0x85, 0, 1, 0, -1)); // a call of a subprogram, before relocation
        assertEquals("exit", text(0x95, 0, 0, 0, 0));
        assertEquals("<unknown>", text(0x86, 0, 0, 0, 14)); // no 32-bit call
        assertEquals("<unknown>", text(0xe5, 1, 0, 0, 0));
    }

    @Test
    void lddwIsOneInstructionOfSixteenBytes() {
        byte[] code = concat(CodeObjects.insn(0x18, 1, 0, 0, 5), CodeObjects.insn(0, 0, 0, 0, -2));
        List<Instruction> insns = InstructionDecoder.decode("test", code, ByteOrder.LITTLE_ENDIAN);
        assertEquals(1, insns.size());
        assertEquals("18 01 00 00 05 00 00 00 00 00 00 00 fe ff ff ff", insns.get(0).hex());
        assertEquals("r1 = -8589934587 ll", one(code).orElseThrow());
        assertEquals("ld_pseudo r1, 1, 5", one(concat(CodeObjects.insn(0x18, 1, 1, 0, 5), CodeObjects.insn(0, 0, 0, 0, 0)))
                .orElseThrow());
    }

    @Test
    void isaV4AsNewerLlvmWritesIt() {
        assertEquals("r1 = *(s16 *)(r2 - 3)", text(0x89, 1, 2, -3, 0));
        assertEquals("r1 = (s8)r2", text(0xbf, 1, 2, 8, 0));
        assertEquals("w1 = (s16)w2", text(0xbc, 1, 2, 16, 0));
        assertEquals("r1 s/= r2", text(0x3f, 1, 2, 1, 0));
        assertEquals("w1 s%= 5", text(0x94, 1, 0, 1, 5));
        assertEquals("r1 = bswap32 r1", text(0xd7, 1, 0, 0, 32));
        assertEquals("gotol -9", text(0x06, 0, 0, 0, -9));
        assertEquals("*(u32 *)(r10 - 8) = 5", text(0x62, 10, 0, -8, 5));
        assertEquals("w2 = atomic_fetch_add((u32 *)(r1 + 3), w2)", text(0xc3, 1, 2, 3, 1));
        assertEquals("w0 = cmpxchg32_32(r1 + 3, w0, w2)", text(0xc3, 1, 2, 3, 0xf1));
    }

    @Test
    void registersPastR10AreNoInstruction() {
        assertEquals("<unknown>", text(0xb7, 11, 0, 0, 1));
        assertEquals("<unknown>", text(0xbf, 1, 12, 0, 0));
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
