package dev.bee.core.disasm;

/**
 * One eBPF instruction as encoded: its index in its section (in 8-byte slots), the fields of its first
 * slot and, for the 16-byte {@code lddw}, the full 64-bit immediate. {@code bytes} are the raw bytes
 * (8, or 16 for {@code lddw}).
 */
public record Instruction(int index, int opcode, int dst, int src, short offset, int imm, long imm64, byte[] bytes) {
    public static final int SIZE = 8;
    /** The opcode of {@code lddw}, the one instruction two slots long. */
    public static final int LDDW = 0x18;

    public boolean wide() {
        return bytes.length == 2 * SIZE;
    }

    /** Byte offset of the instruction in its section. */
    public long byteOffset() {
        return (long) index * SIZE;
    }

    /** Whether this is a jump (conditional or not) with a target in its own code. */
    public boolean isJump() {
        int cls = opcode & 7;
        int op = opcode & 0xf0;
        return (cls == 5 || cls == 6) && op != 0x80 && op != 0x90; // not call, exit
    }

    /** The instruction index a jump lands on (may lie outside the section in a corrupt object). */
    public long jumpTarget() {
        long delta = opcode == 0x06 ? imm : offset; // gotol takes its distance from imm
        return index + 1 + delta;
    }

    /** The raw bytes as llvm-objdump shows them: two hex digits each, space separated. */
    public String hex() {
        StringBuilder sb = new StringBuilder(bytes.length * 3);
        for (byte b : bytes) {
            if (!sb.isEmpty()) {
                sb.append(' ');
            }
            sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return sb.toString();
    }
}
