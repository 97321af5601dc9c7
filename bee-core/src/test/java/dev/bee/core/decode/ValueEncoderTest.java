package dev.bee.core.decode;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import dev.bee.core.btf.Btf;
import dev.bee.core.btf.BtfReader;
import dev.bee.core.testing.BtfBuilder;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Text to the bytes of a BTF value ({@code --set}): every integer width with its range, enums by name and
 * by number, bools, strings, floats, the display hints, and the reason given for text that does not fit.
 */
class ValueEncoderTest {
    private static final int VOLATILE = 9;
    private static final int CONST = 10;

    private final BtfBuilder b = new BtfBuilder();
    private final int u8 = b.integer("unsigned char", 1, 0);
    private final int s8 = b.integer("signed char", 1, 1);
    private final int u16 = b.integer("unsigned short", 2, 0);
    private final int s16 = b.integer("short", 2, 1);
    private final int u32 = b.integer("unsigned int", 4, 0);
    private final int s32 = b.integer("int", 4, 1);
    private final int u64 = b.integer("long long unsigned int", 8, 0);
    private final int s64 = b.integer("long long int", 8, 1);
    private final int u128 = b.integer("unsigned __int128", 16, 0);
    private final int bool = b.integer("_Bool", 1, 4);
    private final int chr = b.integer("char", 1, 2);
    private final int comm = b.array(chr, u32, 8);
    private final int bytes = b.array(u8, u32, 4);
    private final int ints = b.array(s32, u32, 2);
    private final int state = b.enumeration("state", 4, false, new Object[]{"OPEN", 1}, new Object[]{"CLOSED", 7});
    private final int small = b.enumeration("small", 1, false, new Object[]{"A", 0}, new Object[]{"B", 200});
    private final int f32 = b.floating("float", 4);
    private final int f64 = b.floating("double", 8);
    private final int f128 = b.floating("long double", 16);
    private final int pid = b.typedef("pid_t", s32);
    private final int constVolatilePid = b.modifier(CONST, b.modifier(VOLATILE, pid));
    private final int v4 = b.typedef("ipv4_addr", u32);
    private final int v6 = b.typedef("ipv6_addr", b.array(u8, u32, 16));
    private final int port = b.typedef("net_port", u16);
    private final int dur = b.typedef("duration", u64);
    private final int constDur = b.modifier(CONST, b.typedef("timeout_t", dur));
    private final int dur32 = b.typedef("duration", u32);
    private final int struct = b.struct("event", 4, false, new Object[]{"pid", u32, 0});
    private final Btf btf = BtfReader.read("t", b.build());
    private final ValueEncoder le = new ValueEncoder(btf, ByteOrder.LITTLE_ENDIAN);
    private final ValueEncoder be = new ValueEncoder(btf, ByteOrder.BIG_ENDIAN);

    private static byte[] bytes(int... v) {
        byte[] out = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (byte) v[i];
        }
        return out;
    }

    private static byte[] le(long v, int size) {
        ByteBuffer out = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v);
        byte[] b = new byte[size];
        System.arraycopy(out.array(), 0, b, 0, size);
        return b;
    }

    private String why(int type, String text) {
        return assertThrows(IllegalArgumentException.class, () -> le.encode(type, text), text).getMessage();
    }

    @Test
    void unsignedIntegersOfEveryWidthTakeTheirWholeRangeAndNoMore() {
        assertArrayEquals(bytes(0xff), le.encode(u8, "255"));
        assertArrayEquals(bytes(0), le.encode(u8, "0"));
        assertArrayEquals(bytes(0xff, 0xff), le.encode(u16, "65535"));
        assertArrayEquals(le(4_000_000_000L, 4), le.encode(u32, "4000000000"));
        assertArrayEquals(le(-1L, 8), le.encode(u64, "18446744073709551615"));
        byte[] max128 = new byte[16];
        java.util.Arrays.fill(max128, (byte) 0xff);
        assertArrayEquals(max128, le.encode(u128, "0x" + "ff".repeat(16)));

        assertEquals("out of range 0..255", why(u8, "256"));
        assertEquals("out of range 0..255", why(u8, "-1"));
        assertEquals("out of range 0..65535", why(u16, "65536"));
        assertEquals("out of range 0..4294967295", why(u32, "4294967296"));
        assertEquals("out of range 0..18446744073709551615", why(u64, "18446744073709551616"));
        assertEquals("out of range 0..340282366920938463463374607431768211455", why(u128, "-1"));
    }

    @Test
    void signedIntegersOfEveryWidthTakeTheirWholeRangeAndNoMore() {
        assertArrayEquals(bytes(0x80), le.encode(s8, "-128"));
        assertArrayEquals(bytes(0x7f), le.encode(s8, "127"));
        assertArrayEquals(le(-32768, 2), le.encode(s16, "-32768"));
        assertArrayEquals(le(-5, 4), le.encode(s32, "-5"));
        assertArrayEquals(le(Long.MIN_VALUE, 8), le.encode(s64, "-9223372036854775808"));

        assertEquals("out of range -128..127", why(s8, "128"));
        assertEquals("out of range -128..127", why(s8, "-129"));
        assertEquals("out of range -32768..32767", why(s16, "32768"));
        assertEquals("out of range -2147483648..2147483647", why(s32, "2147483648"));
        assertEquals("out of range -9223372036854775808..9223372036854775807", why(s64, "9223372036854775808"));
    }

    @Test
    void integersAreReadInDecimalOrHexWithSignsUnderscoresAndSpaces() {
        assertArrayEquals(le(255, 4), le.encode(u32, "0xff"));
        assertArrayEquals(le(255, 4), le.encode(u32, "0XFF"));
        assertArrayEquals(le(1_000_000, 4), le.encode(u32, "1_000_000"));
        assertArrayEquals(le(5, 4), le.encode(s32, "+5"));
        assertArrayEquals(bytes(0x80), le.encode(s8, "-0x80"));
        assertArrayEquals(le(42, 4), le.encode(u32, "  42 "));
    }

    /** C reads 010 as 8, people as 10: bee does neither, it refuses (0 itself and 0x10 stay fine). */
    @Test
    void aLeadingZeroIsRefusedAsAmbiguous() {
        for (String bad : new String[]{"010", "-010", "+07", "00", "0_10"}) {
            assertEquals("a leading 0 is ambiguous (octal in C, decimal to most readers); write the number in decimal"
                    + " without it, or in hex with 0x", why(s32, bad), bad);
        }
        assertArrayEquals(le(0, 4), le.encode(u32, "0"));
        assertArrayEquals(le(0, 4), le.encode(s32, "-0"));
        assertArrayEquals(le(16, 4), le.encode(u32, "0x010"));
        assertArrayEquals(le(10, 4), le.encode(u32, "10"));
    }

    @Test
    void integersFollowTheObjectsByteOrder() {
        assertArrayEquals(bytes(0x04, 0x03, 0x02, 0x01), le.encode(u32, "0x01020304"));
        assertArrayEquals(bytes(0x01, 0x02, 0x03, 0x04), be.encode(u32, "0x01020304"));
        assertArrayEquals(bytes(0xff, 0xff, 0xff, 0xfe), be.encode(s32, "-2"));
    }

    @Test
    void textThatIsNoNumberSaysSo() {
        for (String bad : new String[]{"abc", "", "   ", "1.5", "12abc", "0x", "-", "1e3", "0xfg"}) {
            assertEquals("not a number", why(u32, bad), bad);
        }
    }

    @Test
    void typedefsAndModifiersAreSeenThrough() {
        assertArrayEquals(le(-7, 4), le.encode(pid, "-7"));
        assertArrayEquals(le(1234, 4), le.encode(constVolatilePid, "1234"));
        assertEquals("out of range -2147483648..2147483647", why(constVolatilePid, "2147483648"));
    }

    @Test
    void boolsTakeTheUsualWords() {
        for (String yes : new String[]{"true", "TRUE", "yes", "on", "1", " True "}) {
            assertArrayEquals(bytes(1), le.encode(bool, yes), yes);
        }
        for (String no : new String[]{"false", "no", "Off", "0"}) {
            assertArrayEquals(bytes(0), le.encode(bool, no), no);
        }
        assertEquals("expected true or false", why(bool, "maybe"));
        assertEquals("expected true or false", why(bool, "2"));
    }

    @Test
    void enumsTakeANameOrANumberThatFitsTheirBytes() {
        assertArrayEquals(le(7, 4), le.encode(state, "CLOSED"));
        assertArrayEquals(le(1, 4), le.encode(state, " OPEN "));
        assertArrayEquals(le(3, 4), le.encode(state, "3"), "a number that names no value still fits");
        assertArrayEquals(le(-1, 4), le.encode(state, "-1"), "as C converts it");
        assertArrayEquals(le(-1, 4), le.encode(state, "4294967295"));
        assertArrayEquals(bytes(200), le.encode(small, "B"));
        assertArrayEquals(bytes(0xff), le.encode(small, "255"));

        assertEquals("out of range -2147483648..4294967295", why(state, "4294967296"));
        assertEquals("out of range -128..255", why(small, "256"));
        assertEquals("out of range -128..255", why(small, "-129"));
        assertEquals("expected one of [OPEN, CLOSED] or a number", why(state, "open"));
        assertEquals("expected one of [A, B] or a number", why(small, "C"));
    }

    @Test
    void charArraysTakeAStringThatLeavesRoomForTheNul() {
        assertArrayEquals(bytes('h', 'i', 0, 0, 0, 0, 0, 0), le.encode(comm, "hi"));
        assertArrayEquals(bytes(' ', 'a', ' ', 0, 0, 0, 0, 0), le.encode(comm, " a "), "a string keeps its spaces");
        assertArrayEquals("1234567\0".getBytes(StandardCharsets.UTF_8), le.encode(comm, "1234567"));
        assertArrayEquals(new byte[8], le.encode(comm, ""));
        assertArrayEquals(bytes('a', 'b', 0, 0), le.encode(bytes, "ab"), "unsigned char arrays are strings too");

        assertEquals("the string has 8 bytes; at most 7 fit (with the terminating NUL)", why(comm, "12345678"));
        assertEquals("the string has 8 bytes; at most 7 fit (with the terminating NUL)", why(comm, "ééé12"),
                "bytes of UTF-8, not characters");
        assertEquals("the string has 4 bytes; at most 3 fit (with the terminating NUL)", why(bytes, "abcd"));
    }

    @Test
    void floatsAndDoublesAreWrittenInTheObjectsByteOrder() {
        assertArrayEquals(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(1.5f).array(),
                le.encode(f32, "1.5"));
        assertArrayEquals(ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putDouble(-0.25).array(),
                be.encode(f64, "-0.25"));
        assertArrayEquals(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(1e3).array(),
                le.encode(f64, "1e3"));
        assertEquals("not a number", why(f32, "fast"));
        assertEquals("floats of 16 bytes are not supported", why(f128, "1.0"));
    }

    @Test
    void addressesArePutInNetworkOrderWhateverTheObjectsOrder() {
        assertArrayEquals(bytes(10, 0, 0, 1), le.encode(v4, "10.0.0.1"));
        assertArrayEquals(bytes(10, 0, 0, 1), be.encode(v4, "10.0.0.1"));
        assertArrayEquals(bytes(255, 255, 255, 255), le.encode(v4, "255.255.255.255"));
        for (String bad : new String[]{"256.0.0.1", "1.2.3", "1.2.3.4.5", "localhost", "::1"}) {
            assertEquals("expected an IPv4 address such as 10.0.0.1", why(v4, bad), bad);
        }

        byte[] db8 = new byte[16];
        db8[0] = 0x20;
        db8[1] = 0x01;
        db8[2] = 0x0d;
        db8[3] = (byte) 0xb8;
        db8[15] = 1;
        assertArrayEquals(db8, le.encode(v6, "2001:db8::1"));
        assertArrayEquals(bytes(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 1, 2, 3, 4), le.encode(v6, "::ffff:1.2.3.4"),
                "an IPv4-mapped address stays mapped");
        for (String bad : new String[]{"1.2.3.4", "example.com", "2001:db8::g", "2001:db8:::1:2:3:4:5:6"}) {
            assertEquals("expected an IPv6 address such as 2001:db8::1", why(v6, bad), bad);
        }
    }

    @Test
    void portsAreBigEndianAndAtMost65535() {
        assertArrayEquals(bytes(0x1f, 0x90), le.encode(port, "8080"));
        assertArrayEquals(bytes(0x1f, 0x90), be.encode(port, "0x1f90"));
        assertEquals("out of range 0..65535", why(port, "65536"));
        assertEquals("out of range 0..65535", why(port, "-1"));
        assertEquals("not a number", why(port, "http"));
    }

    @Test
    void durationsTakeATimeOrNanoseconds() {
        assertArrayEquals(le(5_000_000_000L, 8), le.encode(dur, "5s"));
        assertArrayEquals(le(1_500_000L, 8), le.encode(dur, "1.5ms"));
        assertArrayEquals(le(1500, 8), le.encode(dur, "1500"), "a bare number is nanoseconds");
        assertArrayEquals(le(120_000_000_000L, 8), le.encode(constDur, "2m"), "a typedef of duration is one");
        BeeException e = assertThrows(BeeException.class, () -> le.encode(dur, "5 parsecs"));
        assertEquals(ErrorKind.USAGE, e.kind());
        assertEquals("'5 parsecs' is not a time", e.getMessage());
        assertEquals("out of range 0..18446744073709551615", why(dur, "99999999999999999999"));
        // Never cut or wrapped: a negative or too long time for the duration's integer is refused.
        assertEquals("out of range 0..18446744073709551615", why(dur, "-5"));
        assertEquals("out of range 0..4294967295 (nanoseconds)", why(dur32, "5s"));
        assertArrayEquals(le(4_000_000_000L, 4), le.encode(dur32, "4s"));
    }

    @Test
    void typesWithNoTextFormSaySo() {
        assertEquals("globals of type struct event cannot be set from text", why(struct, "1"));
        assertEquals("arrays of int cannot be set from text", why(ints, "1,2"));
    }
}
