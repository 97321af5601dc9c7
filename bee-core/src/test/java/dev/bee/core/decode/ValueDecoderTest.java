package dev.bee.core.decode;

import dev.bee.core.BeeException;
import dev.bee.core.btf.Btf;
import dev.bee.core.btf.BtfReader;
import dev.bee.core.testing.BtfBuilder;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Decoding by BTF member offsets: padding, nesting, enums, bitfields, strings and display hints. */
class ValueDecoderTest {

    @Test
    void decodesAnUnpackedStructByMemberOffsets() {
        BtfBuilder b = new BtfBuilder();
        int u8 = b.integer("unsigned char", 1, 0);
        int u16 = b.integer("unsigned short", 2, 0);
        int u32 = b.integer("unsigned int", 4, 0);
        int s32 = b.integer("int", 4, 1);
        int u64 = b.integer("long long unsigned int", 8, 0);
        int bool = b.integer("_Bool", 1, 4);
        int chr = b.integer("char", 1, 2);
        int comm = b.array(chr, u32, 8);
        int bytes = b.array(u8, u32, 3);
        int state = b.enumeration("state", 4, false, new Object[]{"OPEN", 1}, new Object[]{"CLOSED", 7});
        int v4 = b.typedef("ipv4_addr", u32);
        int v6 = b.typedef("ipv6_addr", b.array(u8, u32, 16));
        int dur = b.typedef("duration", u64);
        int inner = b.struct("addr", 8, false, new Object[]{"daddr", v4, 0}, new Object[]{"dport", u16, 32});
        // layout: u8 kind @0, pad, u32 pid @4, inner @8..16, enum @16, bool @20, u8[3] @21, char[8] @24,
        // s32 @32, bitfields @36 (3 bits, 5 bits), u64 @40, duration @48, ipv6 @56, u64 big @72: size 80
        int ev = b.struct("event", 80, false,
                new Object[]{"kind", u8, 0}, new Object[]{"pid", u32, 32}, new Object[]{"sk", inner, 64},
                new Object[]{"state", state, 128}, new Object[]{"ok", bool, 160}, new Object[]{"raw", bytes, 168},
                new Object[]{"comm", comm, 192}, new Object[]{"ret", s32, 256},
                new Object[]{"lo", u32, 288, 3}, new Object[]{"hi", s32, 291, 5},
                new Object[]{"total", u64, 320}, new Object[]{"took", dur, 384}, new Object[]{"src6", v6, 448},
                new Object[]{"big", u64, 576});
        Btf btf = BtfReader.read("t", b.build());

        ByteBuffer d = ByteBuffer.allocate(80).order(ByteOrder.LITTLE_ENDIAN);
        d.put(0, (byte) 9).put(1, (byte) 0xee).putInt(4, 4242);
        d.put(8, (byte) 127).put(9, (byte) 0).put(10, (byte) 0).put(11, (byte) 1).putShort(12, (short) 8080);
        d.putInt(16, 7).put(20, (byte) 1).put(21, (byte) 1).put(22, (byte) 2).put(23, (byte) 3);
        d.put(24, (byte) 'c').put(25, (byte) 'a').put(26, (byte) 't');
        d.putInt(32, -5);
        d.put(36, (byte) (0b101 | (0b11110 << 3))); // lo = 5, hi = -2 (5-bit two's complement)
        d.putLong(40, 1234567890123L).putLong(48, 1_500_000L);
        d.put(56, (byte) 0x20).put(57, (byte) 0x01).put(58, (byte) 0x0d).put(59, (byte) 0xb8).put(71, (byte) 1);
        d.putLong(72, -1L);

        Map<String, Object> f = FieldDecoding.fields(new ValueDecoder(btf, ByteOrder.LITTLE_ENDIAN), ev, "v", d.array(), 0);
        assertEquals(List.of("kind", "pid", "sk.daddr", "sk.dport", "state", "ok", "raw", "comm", "ret", "lo", "hi",
                "total", "took", "src6", "big"), List.copyOf(f.keySet()));
        assertEquals(9L, f.get("kind"));
        assertEquals(4242L, f.get("pid"));
        assertEquals("127.0.0.1", f.get("sk.daddr"));
        assertEquals(8080L, f.get("sk.dport"));
        assertEquals("CLOSED", f.get("state"));
        assertEquals(true, f.get("ok"));
        assertEquals(List.of(1L, 2L, 3L), f.get("raw"));
        assertEquals("cat", f.get("comm"));
        assertEquals(-5L, f.get("ret"));
        assertEquals(5L, f.get("lo"));
        assertEquals(-2L, f.get("hi"));
        assertEquals(1234567890123L, f.get("total"));
        assertEquals(new DurationValue(1_500_000L), f.get("took"));
        assertEquals("1.5ms", f.get("took").toString());
        assertEquals("2001:db8::1", f.get("src6"));
        assertEquals(new BigInteger("18446744073709551615"), f.get("big"));
    }

    @Test
    void shortDataIsAClearError() {
        BtfBuilder b = new BtfBuilder();
        int u64 = b.integer("long long unsigned int", 8, 0);
        Btf btf = BtfReader.read("t", b.build());
        BeeException e = assertThrows(BeeException.class,
                () -> new ValueDecoder(btf, ByteOrder.LITTLE_ENDIAN).decode(u64, new byte[4], 0));
        assertEquals("a value of 8 bytes at offset 0 does not fit the 4 bytes received", e.getMessage());
    }

    @Test
    void selfContainingStructStopsAtTheDepthLimit() {
        BtfBuilder b = new BtfBuilder();
        // struct s { struct s inner; } is impossible in C but possible in corrupt BTF.
        b.struct("s", 4, false, new Object[]{"inner", 1, 0});
        Btf btf = BtfReader.read("t", b.build());
        ValueDecoder decoder = new ValueDecoder(btf, ByteOrder.LITTLE_ENDIAN);
        for (org.junit.jupiter.api.function.Executable use : List.<org.junit.jupiter.api.function.Executable>of(
                () -> decoder.decode(1, new byte[4], 0), () -> decoder.compile(1, "v"))) {
            BeeException e = assertThrows(BeeException.class, use);
            assertEquals("t: type 1 nests deeper than 32 levels (a struct that contains itself?)", e.getMessage());
        }
    }

    @Test
    void ipv6TextFollowsRfc5952() {
        byte[] a = new byte[16];
        a[15] = 1;
        assertEquals("::1", ValueDecoder.ipv6(a, 0));
        byte[] z = new byte[16];
        assertEquals("::", ValueDecoder.ipv6(z, 0));
        byte[] m = {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1};
        assertEquals("2001:db8:0:1::1", ValueDecoder.ipv6(m, 0));
    }
}
