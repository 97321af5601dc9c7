package dev.bee.core.disasm;

import java.util.Optional;
import java.util.function.IntFunction;

/**
 * Writes an {@link Instruction} in llvm's BPF assembler syntax, as {@code llvm-objdump -d} (LLVM 14)
 * prints it: {@code r1 = *(u64 *)(r1 + 112)}, {@code if r1 s> -1 goto +4}, {@code r1 = 0 ll}. Helper
 * calls are written by name when {@code helperName} knows the id. Instructions llvm 14 does not know
 * but the kernel does (ISA v4: sign-extending loads and moves, signed division, {@code bswap},
 * {@code gotol}; modulo; stores of immediates; 32-bit atomics other than add; JSET) are written as newer
 * llvm or the kernel's disassembler writes them; llvm's {@code callx}, which the kernel refuses, is
 * refused. Jump targets are left to the caller, which knows the labels.
 */
public final class BpfSyntax {
    private static final int LD = 0;
    private static final int LDX = 1;
    private static final int ST = 2;
    private static final int STX = 3;
    private static final int ALU = 4;
    private static final int JMP = 5;
    private static final int JMP32 = 6;
    private static final int ALU64 = 7;
    private static final int MAX_REGISTER = 10;

    private BpfSyntax() {
    }

    /** The instruction's text, or empty when the opcode (or a field it needs) is no instruction the kernel knows. */
    public static Optional<String> text(Instruction in, IntFunction<String> helperName) {
        if (in.dst() > MAX_REGISTER || in.src() > MAX_REGISTER) {
            return Optional.empty();
        }
        return Optional.ofNullable(switch (in.opcode() & 7) {
            case LD -> load(in);
            case LDX -> loadReg(in);
            case ST -> store(in, false);
            case STX -> (in.opcode() & 0xe0) == 0xc0 ? atomic(in) : store(in, true);
            case ALU, ALU64 -> alu(in);
            default -> jump(in, helperName);
        });
    }

    private static String load(Instruction in) {
        int op = in.opcode();
        if (op == Instruction.LDDW) {
            return in.src() == 0 ? "r" + in.dst() + " = " + in.imm64() + " ll"
                    : "ld_pseudo r" + in.dst() + ", " + in.src() + ", " + in.imm();
        }
        String size = switch (op & 0x18) {
            case 0x00 -> "u32";
            case 0x08 -> "u16";
            case 0x10 -> "u8";
            default -> null;
        };
        if (size == null) {
            return null;
        }
        return switch (op & 0xe0) {
            case 0x20 -> "r0 = *(" + size + " *)skb[" + in.imm() + "]"; // BPF_ABS
            case 0x40 -> "r0 = *(" + size + " *)skb[r" + in.src() + "]"; // BPF_IND
            default -> null;
        };
    }

    private static String size(int opcode) {
        return switch (opcode & 0x18) {
            case 0x00 -> "32";
            case 0x08 -> "16";
            case 0x10 -> "8";
            default -> "64";
        };
    }

    private static String address(int reg, short offset) {
        return "(r" + reg + (offset < 0 ? " - " + -(int) offset : " + " + offset) + ")";
    }

    private static String loadReg(Instruction in) {
        String from = address(in.src(), in.offset());
        return switch (in.opcode() & 0xe0) {
            case 0x60 -> "r" + in.dst() + " = *(u" + size(in.opcode()) + " *)" + from; // BPF_MEM
            case 0x80 -> (in.opcode() & 0x18) == 0x18 ? null // BPF_MEMSX, v4
                    : "r" + in.dst() + " = *(s" + size(in.opcode()) + " *)" + from;
            default -> null;
        };
    }

    private static String store(Instruction in, boolean fromRegister) {
        if ((in.opcode() & 0xe0) != 0x60) {
            return null;
        }
        return "*(u" + size(in.opcode()) + " *)" + address(in.dst(), in.offset()) + " = "
                + (fromRegister ? "r" + in.src() : String.valueOf(in.imm()));
    }

    private static String atomic(Instruction in) {
        boolean dw = (in.opcode() & 0x18) == 0x18;
        if (!dw && (in.opcode() & 0x18) != 0x00) {
            return null;
        }
        String at = address(in.dst(), in.offset());
        String width = dw ? "u64" : "u32";
        String reg = (dw ? "r" : "w") + in.src();
        String op = switch (in.imm() & ~1) {
            case 0x00 -> "add";
            case 0x40 -> "or";
            case 0x50 -> "and";
            case 0xa0 -> "xor";
            default -> null;
        };
        if (in.imm() == 0xe1) {
            return dw ? reg + " = xchg_64(r" + in.dst() + offsetSuffix(in.offset()) + ", " + reg + ")"
                    : reg + " = xchg32_32(r" + in.dst() + offsetSuffix(in.offset()) + ", " + reg + ")";
        }
        if (in.imm() == 0xf1) {
            String r0 = dw ? "r0" : "w0";
            return r0 + " = " + (dw ? "cmpxchg_64(r" : "cmpxchg32_32(r") + in.dst() + offsetSuffix(in.offset())
                    + ", " + r0 + ", " + reg + ")";
        }
        if (op == null) {
            return null;
        }
        if ((in.imm() & 1) != 0) {
            return reg + " = atomic_fetch_" + op + "((" + width + " *)" + at + ", " + reg + ")";
        }
        // llvm writes the 32-bit add (the old XADDW) with an r register; the others came later with w.
        String value = dw || op.equals("add") ? "r" + in.src() : reg;
        String sign = switch (op) {
            case "add" -> "+=";
            case "or" -> "|=";
            case "and" -> "&=";
            default -> "^=";
        };
        return "lock *(" + width + " *)" + at + " " + sign + " " + value;
    }

    private static String offsetSuffix(short offset) {
        return offset < 0 ? " - " + -(int) offset : " + " + offset;
    }

    private static String alu(Instruction in) {
        boolean wide = (in.opcode() & 7) == ALU64;
        String p = wide ? "r" : "w";
        String d = p + in.dst();
        boolean reg = (in.opcode() & 0x08) != 0;
        String s = reg ? p + in.src() : String.valueOf(in.imm());
        int op = in.opcode() & 0xf0;
        return switch (op) {
            case 0x00 -> d + " += " + s;
            case 0x10 -> d + " -= " + s;
            case 0x20 -> d + " *= " + s;
            case 0x30 -> d + (in.offset() == 1 ? " s/= " : " /= ") + s;
            case 0x40 -> d + " |= " + s;
            case 0x50 -> d + " &= " + s;
            case 0x60 -> d + " <<= " + s;
            case 0x70 -> d + " >>= " + s;
            case 0x80 -> reg ? null : d + " = -" + d;
            case 0x90 -> d + (in.offset() == 1 ? " s%= " : " %= ") + s;
            case 0xa0 -> d + " ^= " + s;
            case 0xb0 -> move(in, p, d, reg, s);
            case 0xc0 -> d + " s>>= " + s;
            case 0xd0 -> endian(in, wide, reg);
            default -> null;
        };
    }

    private static String move(Instruction in, String p, String d, boolean reg, String s) {
        short off = in.offset();
        if (reg && (off == 8 || off == 16 || (off == 32 && p.equals("r")))) {
            return d + " = (s" + off + ")" + p + in.src(); // movsx, v4
        }
        return d + " = " + s;
    }

    private static String endian(Instruction in, boolean wide, boolean toBigEndian) {
        int bits = in.imm();
        if (bits != 16 && bits != 32 && bits != 64) {
            return null;
        }
        String r = "r" + in.dst();
        if (wide) {
            return toBigEndian ? null : r + " = bswap" + bits + " " + r; // v4 unconditional swap
        }
        return r + " = " + (toBigEndian ? "be" : "le") + bits + " " + r;
    }

    private static String jump(Instruction in, IntFunction<String> helperName) {
        boolean wide = (in.opcode() & 7) == JMP;
        String p = wide ? "r" : "w";
        boolean reg = (in.opcode() & 0x08) != 0;
        int op = in.opcode() & 0xf0;
        String target = signed(in.offset());
        switch (op) {
            case 0x00:
                if (reg) {
                    return null;
                }
                return wide ? "goto " + target : "gotol " + signed(in.imm());
            case 0x80:
                if (!wide || reg) {
                    return null;
                }
                String name = in.src() == 0 ? helperName.apply(in.imm()) : null;
                return "call " + (name != null ? name : String.valueOf(in.imm()));
            case 0x90:
                return wide && !reg ? "exit" : null;
            default:
                break;
        }
        String cmp = switch (op) {
            case 0x10 -> "==";
            case 0x20 -> ">";
            case 0x30 -> ">=";
            case 0x40 -> "&";
            case 0x50 -> "!=";
            case 0x60 -> "s>";
            case 0x70 -> "s>=";
            case 0xa0 -> "<";
            case 0xb0 -> "<=";
            case 0xc0 -> "s<";
            case 0xd0 -> "s<=";
            default -> null;
        };
        if (cmp == null) {
            return null;
        }
        return "if " + p + in.dst() + " " + cmp + " " + (reg ? p + in.src() : String.valueOf(in.imm()))
                + " goto " + target;
    }

    private static String signed(long v) {
        return v < 0 ? String.valueOf(v) : "+" + v;
    }
}
