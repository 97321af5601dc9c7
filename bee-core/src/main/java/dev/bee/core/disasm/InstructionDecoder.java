package dev.bee.core.disasm;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a code section into {@link Instruction}s: 8-byte slots, {@code lddw} taking two. The walk is
 * bounded by the section's size; a section that is not whole slots, or an {@code lddw} cut off or
 * followed by anything but its second half, is an error naming the place.
 */
public final class InstructionDecoder {
    private InstructionDecoder() {
    }

    /** Decodes {@code code}; {@code where} names the section in errors. */
    public static List<Instruction> decode(String where, byte[] code, ByteOrder order) {
        if (code.length % Instruction.SIZE != 0) {
            throw bad(where + " is " + code.length + " bytes, not a whole number of 8-byte instructions");
        }
        ByteBuffer b = ByteBuffer.wrap(code).order(order);
        int slots = code.length / Instruction.SIZE;
        List<Instruction> out = new ArrayList<>(slots);
        for (int i = 0; i < slots; i++) {
            int at = i * Instruction.SIZE;
            int opcode = b.get(at) & 0xff;
            int regs = b.get(at + 1) & 0xff;
            // The register nibbles follow the byte order: dst is the low nibble on little-endian.
            int dst = order == ByteOrder.LITTLE_ENDIAN ? regs & 0xf : regs >>> 4;
            int src = order == ByteOrder.LITTLE_ENDIAN ? regs >>> 4 : regs & 0xf;
            short off = b.getShort(at + 2);
            int imm = b.getInt(at + 4);
            if (opcode == Instruction.LDDW) {
                if (i + 1 >= slots) {
                    throw bad(where + ": the 16-byte lddw at instruction " + i + " is cut off by the end of the section");
                }
                int next = at + Instruction.SIZE;
                if (b.get(next) != 0 || b.get(next + 1) != 0 || b.getShort(next + 2) != 0) {
                    throw bad(where + ": instruction " + (i + 1) + " (offset 0x" + Long.toHexString(next)
                            + ") must be the second half of the lddw before it, but has opcode 0x"
                            + Integer.toHexString(b.get(next) & 0xff) + " or other fields set");
                }
                long imm64 = (imm & 0xffffffffL) | ((long) b.getInt(next + 4) << 32);
                out.add(new Instruction(i, opcode, dst, src, off, imm, imm64, slice(code, at, 2 * Instruction.SIZE)));
                i++;
            } else {
                out.add(new Instruction(i, opcode, dst, src, off, imm, imm, slice(code, at, Instruction.SIZE)));
            }
        }
        return out;
    }

    private static byte[] slice(byte[] code, int at, int len) {
        byte[] out = new byte[len];
        System.arraycopy(code, at, out, 0, len);
        return out;
    }

    private static BeeException bad(String message) {
        return new BeeException(ErrorKind.INPUT, message, "the object is truncated or corrupt; rebuild it with clang");
    }
}
