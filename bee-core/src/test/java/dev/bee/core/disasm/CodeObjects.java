package dev.bee.core.disasm;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Hand-made eBPF objects for disassembler tests: one code section {@code socket} holding the given
 * instructions as one global function {@code f}, in an ELF64 relocatable for EM_BPF, little-endian.
 */
final class CodeObjects {
    private CodeObjects() {
    }

    /** One 8-byte instruction, little-endian. */
    static byte[] insn(int opcode, int dst, int src, int off, int imm) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).put((byte) opcode).put((byte) ((src << 4) | dst))
                .putShort((short) off).putInt(imm).array();
    }

    static byte[] object(byte[] code) {
        byte[] names = "\0.strtab\0socket\0.symtab\0f\0".getBytes(StandardCharsets.US_ASCII);
        int nStrtab = 1;
        int nCode = 9;
        int nSymtab = 16;
        int nF = 24;
        ByteBuffer syms = ByteBuffer.allocate(48).order(ByteOrder.LITTLE_ENDIAN);
        syms.position(24).putInt(nF).put((byte) 0x12).put((byte) 0).putShort((short) 2).putLong(0).putLong(code.length);
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        int namesAt = append(data, names);
        int codeAt = append(data, code);
        int symsAt = append(data, syms.array());
        int shoff = 64 + data.size();
        ByteBuffer out = ByteBuffer.allocate(shoff + 4 * 64).order(ByteOrder.LITTLE_ENDIAN);
        out.put(new byte[]{0x7f, 'E', 'L', 'F', 2, 1, 1}).position(16);
        out.putShort((short) 1).putShort((short) 247).putInt(1).putLong(0).putLong(0).putLong(shoff).putInt(0)
                .putShort((short) 64).putShort((short) 0).putShort((short) 0).putShort((short) 64).putShort((short) 4)
                .putShort((short) 1);
        out.put(data.toByteArray());
        out.position(shoff + 64);
        header(out, nStrtab, 3, 0, namesAt, names.length, 0, 0, 1, 0);
        header(out, nCode, 1, 6, codeAt, code.length, 0, 0, 8, 0);
        header(out, nSymtab, 2, 0, symsAt, 48, 1, 1, 8, 24);
        return out.array();
    }

    private static void header(ByteBuffer b, int name, int type, long flags, long offset, long size, int link, int info,
                               long align, long entsize) {
        b.putInt(name).putInt(type).putLong(flags).putLong(0).putLong(offset).putLong(size).putInt(link).putInt(info)
                .putLong(align).putLong(entsize);
    }

    private static int append(ByteArrayOutputStream data, byte[] bytes) {
        int at = 64 + data.size();
        data.writeBytes(bytes);
        while (data.size() % 8 != 0) {
            data.write(0);
        }
        return at;
    }
}
