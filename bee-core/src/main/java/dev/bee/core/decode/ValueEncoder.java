package dev.bee.core.decode;

import dev.bee.core.Plural;
import dev.bee.core.btf.Btf;
import dev.bee.core.btf.BtfType;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Turns text into the bytes of a BTF-described value, the way back of {@link ValueDecoder}: integers of
 * every width (decimal, hex, negative where signed, range-checked), bools, enums (by name or by a number
 * that fits), char arrays (strings), floats, and the display hints ipv4_addr, ipv6_addr, net_port and
 * duration ({@code 5s}, see {@link TimeSpec}). Text that is not such a value throws an {@link
 * IllegalArgumentException} whose message says why ("not a number", "out of range 0..255"); a duration
 * that is not a time throws {@link TimeSpec}'s error.
 */
public final class ValueEncoder {
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private final Btf btf;
    private final ByteOrder order;

    public ValueEncoder(Btf btf, ByteOrder order) {
        this.btf = btf;
        this.order = order;
    }

    /**
     * The bytes of {@code text} as a value of type {@code typeId}. Numbers, names and addresses are read
     * with surrounding spaces trimmed; a string keeps them.
     */
    public byte[] encode(int typeId, String text) {
        try {
            return encode(typeId, text.trim(), text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number", e);
        }
    }

    private byte[] encode(int typeId, String v, String raw) {
        int id = btf.skipModifiers(typeId);
        BtfType t = btf.type(id);
        if (t instanceof BtfType.Typedef td) {
            switch (Hint.ofTypedef(td.name())) {
                case IPV4 -> {
                    return ipv4(v);
                }
                case IPV6 -> {
                    return ipv6(v);
                }
                case NET_PORT -> {
                    long port = parseInteger(v, BigInteger.ZERO, BigInteger.valueOf(65535)).longValue();
                    return new byte[]{(byte) (port >> 8), (byte) port};
                }
                case DURATION -> {
                    // Nanoseconds in the typedef's integer: range-checked like any integer, never cut.
                    int size = (int) btf.sizeOf(id);
                    boolean signed = btf.type(btf.resolve(id)) instanceof BtfType.Int i && i.signed();
                    BigInteger min = signed ? BigInteger.ONE.shiftLeft(size * 8 - 1).negate() : BigInteger.ZERO;
                    BigInteger max = signed ? BigInteger.ONE.shiftLeft(size * 8 - 1).subtract(BigInteger.ONE)
                            : BigInteger.ONE.shiftLeft(size * 8).subtract(BigInteger.ONE);
                    BigInteger nanos = v.matches("[-+]?[0-9_]+|[-+]?0[xX][0-9a-fA-F_]+") ? parseInteger(v, min, max)
                            : BigInteger.valueOf(TimeSpec.parse(v).toNanos());
                    if (nanos.compareTo(min) < 0 || nanos.compareTo(max) > 0) {
                        throw new IllegalArgumentException("out of range " + min + ".." + max + " (nanoseconds)");
                    }
                    return integerBytes(nanos, size);
                }
                default -> {
                    return encode(td.type(), v, raw);
                }
            }
        }
        if (t instanceof BtfType.Int i) {
            if (i.isBool()) {
                return integerBytes(BigInteger.valueOf(bool(v) ? 1 : 0), i.size());
            }
            BigInteger min = i.signed() ? BigInteger.ONE.shiftLeft(i.size() * 8 - 1).negate() : BigInteger.ZERO;
            BigInteger max = i.signed() ? BigInteger.ONE.shiftLeft(i.size() * 8 - 1).subtract(BigInteger.ONE)
                    : BigInteger.ONE.shiftLeft(i.size() * 8).subtract(BigInteger.ONE);
            return integerBytes(parseInteger(v, min, max), i.size());
        }
        if (t instanceof BtfType.Enum e) {
            for (BtfType.EnumValue ev : e.values()) {
                if (ev.name().equals(v)) {
                    return integerBytes(BigInteger.valueOf(ev.value()), e.size());
                }
            }
            BigInteger n;
            // A number fits the enum's bytes, signed or not (as C converts it); more would be cut silently.
            BigInteger min = BigInteger.ONE.shiftLeft(e.size() * 8 - 1).negate();
            BigInteger max = BigInteger.ONE.shiftLeft(e.size() * 8).subtract(BigInteger.ONE);
            try {
                n = parseInteger(v, min, max);
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException("expected one of "
                        + e.values().stream().map(BtfType.EnumValue::name).toList() + " or a number");
            }
            return integerBytes(n, e.size());
        }
        if (t instanceof BtfType.Float f) {
            ByteBuffer b = ByteBuffer.allocate(f.size()).order(order);
            if (f.size() == 4) {
                b.putFloat(Float.parseFloat(v));
            } else if (f.size() == 8) {
                b.putDouble(Double.parseDouble(v));
            } else {
                throw new IllegalArgumentException("floats of " + f.size() + " bytes are not supported");
            }
            return b.array();
        }
        if (t instanceof BtfType.Array a) {
            int elem = btf.resolve(a.elementType());
            if (btf.type(elem) instanceof BtfType.Int i && i.size() == 1) {
                byte[] s = raw.getBytes(StandardCharsets.UTF_8);
                if (s.length >= a.length()) {
                    throw new IllegalArgumentException("the string has " + Plural.of(s.length, "byte") + "; at most "
                            + (a.length() - 1) + " fit (with the terminating NUL)");
                }
                byte[] out = new byte[(int) a.length()];
                System.arraycopy(s, 0, out, 0, s.length);
                return out;
            }
            throw new IllegalArgumentException("arrays of " + btf.cName(a.elementType()) + " cannot be set from text");
        }
        throw new IllegalArgumentException("globals of type " + btf.cName(typeId) + " cannot be set from text");
    }

    private static boolean bool(String v) {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new IllegalArgumentException("expected true or false");
        };
    }

    private static BigInteger parseInteger(String v, BigInteger min, BigInteger max) {
        String s = v.replace("_", "");
        boolean neg = s.startsWith("-");
        String digits = neg || s.startsWith("+") ? s.substring(1) : s;
        BigInteger n;
        if (digits.startsWith("0x") || digits.startsWith("0X")) {
            n = new BigInteger(digits.substring(2), 16);
        } else if (digits.length() > 1 && digits.startsWith("0")) {
            // C reads 010 as octal 8, most people as ten: refused rather than guessed either way.
            throw new IllegalArgumentException("a leading 0 is ambiguous (octal in C, decimal to most readers);"
                    + " write the number in decimal without it, or in hex with 0x");
        } else {
            n = new BigInteger(digits);
        }
        if (neg) {
            n = n.negate();
        }
        if (n.compareTo(min) < 0 || n.compareTo(max) > 0) {
            throw new IllegalArgumentException("out of range " + min + ".." + max);
        }
        return n;
    }

    private byte[] integerBytes(BigInteger n, int size) {
        byte[] out = new byte[size];
        for (int k = 0; k < size; k++) {
            byte b = n.shiftRight(8 * k).byteValue();
            out[order == ByteOrder.LITTLE_ENDIAN ? k : size - 1 - k] = b;
        }
        return out;
    }

    private static byte[] ipv4(String v) {
        if (!IPV4.matcher(v).matches()) {
            throw new IllegalArgumentException("expected an IPv4 address such as 10.0.0.1");
        }
        String[] parts = v.split("\\.");
        byte[] out = new byte[4];
        for (int k = 0; k < 4; k++) {
            int p = Integer.parseInt(parts[k]);
            if (p > 255) {
                throw new IllegalArgumentException("expected an IPv4 address such as 10.0.0.1");
            }
            out[k] = (byte) p; // network order: as written
        }
        return out;
    }

    private static byte[] ipv6(String v) {
        if (!v.contains(":") || !v.matches("[0-9a-fA-F:.]+")) {
            throw new IllegalArgumentException("expected an IPv6 address such as 2001:db8::1");
        }
        try {
            byte[] a = InetAddress.getByName(v).getAddress();
            if (a.length == 16) {
                return a;
            }
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xff;
            mapped[11] = (byte) 0xff;
            System.arraycopy(a, 0, mapped, 12, 4);
            return mapped;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("expected an IPv6 address such as 2001:db8::1");
        }
    }
}
