package dev.bee.core.attach;

import dev.bee.core.BeeException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The RTM_GETTFILTER request bee sends and the parsing of the kernel's replies, on hand-made messages. */
class TcFilterDumpTest {
    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.nativeOrder());
    }

    @Test
    void theRequestAsksForADumpOfOneClsactSide() {
        ByteBuffer b = ByteBuffer.wrap(TcFilterDump.request(7, false)).order(ByteOrder.nativeOrder());
        assertEquals(36, b.capacity());
        assertEquals(36, b.getInt(0), "nlmsg_len");
        assertEquals(46, b.getShort(4), "RTM_GETTFILTER");
        assertEquals(0x301, b.getShort(6), "NLM_F_REQUEST | NLM_F_DUMP");
        assertEquals(7, b.getInt(20), "tcm_ifindex");
        assertEquals(0xFFFFFFF3, b.getInt(28), "tcm_parent: clsact egress");
        assertEquals(0xFFFFFFF2, ByteBuffer.wrap(TcFilterDump.request(7, true)).order(ByteOrder.nativeOrder()).getInt(28));
    }

    /** struct rtattr with a payload, padded to 4 bytes. */
    private static byte[] attr(int type, byte[] payload) {
        int len = 4 + payload.length;
        ByteBuffer b = le((len + 3) & ~3);
        b.putShort((short) len).putShort((short) type).put(payload);
        return b.array();
    }

    private static byte[] cstring(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[b.length + 1];
        System.arraycopy(b, 0, out, 0, b.length);
        return out;
    }

    private static byte[] message(int type, int handle, int prio, byte[]... attrs) {
        ByteArrayOutputStream a = new ByteArrayOutputStream();
        for (byte[] x : attrs) {
            a.writeBytes(x);
        }
        ByteBuffer b = le(36 + a.size());
        b.putInt(36 + a.size()).putShort((short) type).putShort((short) 2).putInt(1).putInt(0);
        b.put((byte) 0).put((byte) 0).putShort((short) 0).putInt(1).putInt(handle).putInt(0xFFFFFFF2)
                .putInt(prio << 16 | 0x0300);
        b.put(a.toByteArray());
        return b.array();
    }

    private static byte[] done() {
        return le(20).putInt(20).putShort((short) 3).putShort((short) 2).putInt(1).putInt(0).putInt(0).array();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void filtersComeWithHandlePriorityKindAndProgramNameAndChainHeadsAreSkipped() {
        byte[] kind = attr(1, cstring("bpf"));
        // TCA_OPTIONS is nested (NLA_F_NESTED set): TCA_BPF_FD-like noise, then TCA_BPF_NAME.
        byte[] options = attr(2 | 0x8000, concat(attr(11, new byte[]{5, 0, 0, 0}), attr(7, cstring("on_tc:[95]"))));
        byte[] replies = concat(
                message(44, 0, 48864, kind),
                message(44, 0x807d7100, 48864, kind, options),
                message(44, 0x800, 100, attr(1, cstring("u32"))),
                done());
        List<TcFilterDump.Filter> filters = TcFilterDump.parse(replies);
        assertEquals(List.of(new TcFilterDump.Filter(0x807d7100, 48864, "bpf", "on_tc:[95]"),
                new TcFilterDump.Filter(0x800, 100, "u32", null)), filters);
        assertEquals(List.of(filters.get(0)), TcOrphans.orphans(filters, pid -> false), "bee's filter, owner gone");
        assertEquals(List.of(), TcOrphans.orphans(filters, pid -> pid == 32113), "bee's filter, owner runs");
    }

    @Test
    void aKernelErrorIsReportedAndAnAckEndsTheList() {
        byte[] error = le(36).putInt(36).putShort((short) 2).putShort((short) 0).putInt(1).putInt(0).putInt(-22).array();
        BeeException e = assertThrows(BeeException.class, () -> TcFilterDump.parse(error));
        assertEquals("the kernel refused to list tc filters: EINVAL", e.getMessage());
        byte[] ack = le(36).putInt(36).putShort((short) 2).putShort((short) 0).putInt(1).putInt(0).putInt(0).array();
        assertEquals(List.of(), TcFilterDump.parse(ack));
    }

    @Test
    void aTruncatedReplyIsAnError() {
        byte[] m = message(44, 1, 1, attr(1, cstring("bpf")));
        ByteBuffer.wrap(m).order(ByteOrder.nativeOrder()).putInt(0, m.length + 40);
        assertThrows(BeeException.class, () -> TcFilterDump.parse(m));
    }
}
