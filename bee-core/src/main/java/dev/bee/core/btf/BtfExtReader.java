package dev.bee.core.btf;

import dev.bee.core.io.ByteReader;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an object's {@code .BTF.ext} section ({@code struct btf_ext_header} and the three record
 * lists after it) into a {@link BtfExt}, resolving names through the object's {@link Btf} strings.
 * Every count and record size is checked against the section's bounds.
 */
public final class BtfExtReader {
    private static final int FUNC_INFO_MIN = 8;
    private static final int LINE_INFO_MIN = 16;
    private static final int CORE_RELO_MIN = 16;
    private static final int HEADER_WITH_CORE = 32;
    private static final int HEADER_MIN = 24;

    private BtfExtReader() {
    }

    public static BtfExt read(String origin, byte[] data, Btf btf) {
        ByteReader r = new ByteReader(origin, data, ByteOrder.LITTLE_ENDIAN);
        if (data.length < HEADER_MIN) {
            throw r.malformed(".BTF.ext is " + data.length + " bytes; its header alone needs " + HEADER_MIN);
        }
        if (r.u16(0) != BtfReader.MAGIC) {
            r = r.withOrder(ByteOrder.BIG_ENDIAN);
            if (r.u16(0) != BtfReader.MAGIC) {
                throw r.malformed("no BTF magic 0xeb9f at offset 0 of .BTF.ext");
            }
        }
        long hdrLen = r.u32(4);
        r.check(0, hdrLen, ".BTF.ext header");
        List<BtfExt.FuncInfo> funcs = new ArrayList<>();
        List<BtfExt.LineInfo> lines = new ArrayList<>();
        List<BtfExt.CoreRelocation> relos = new ArrayList<>();
        records(r, hdrLen, r.u32(8), r.u32(12), FUNC_INFO_MIN, "func_info", btf, (sec, rec) ->
                funcs.add(new BtfExt.FuncInfo(sec, rec.u32(0), rec.u32AsInt(4, "func_info type id"))));
        records(r, hdrLen, r.u32(16), r.u32(20), LINE_INFO_MIN, "line_info", btf, (sec, rec) -> {
            long lineCol = rec.u32(12);
            lines.add(new BtfExt.LineInfo(sec, rec.u32(0), btf.stringAt(rec.u32(4), "line_info file"),
                    btf.stringAt(rec.u32(8), "line_info line"), (int) (lineCol >>> 10), (int) (lineCol & 0x3ff)));
        });
        if (hdrLen >= HEADER_WITH_CORE) {
            records(r, hdrLen, r.u32(24), r.u32(28), CORE_RELO_MIN, "core_relo", btf, (sec, rec) -> {
                long kind = rec.u32(12);
                if (kind >= BtfExt.CoreKind.values().length) {
                    throw rec.malformed("CO-RE relocation kind " + kind + " is unknown");
                }
                relos.add(new BtfExt.CoreRelocation(sec, rec.u32(0), rec.u32AsInt(4, "CO-RE type id"),
                        btf.stringAt(rec.u32(8), "CO-RE access string"), BtfExt.CoreKind.values()[(int) kind]));
            });
        }
        return new BtfExt(List.copyOf(funcs), List.copyOf(lines), List.copyOf(relos));
    }

    private interface RecordSink {
        void accept(String section, ByteReader record);
    }

    /** One info list: a record size, then per section a name, a count and that many records. */
    private static void records(ByteReader r, long hdrLen, long off, long len, int minSize, String what, Btf btf,
                                RecordSink sink) {
        if (len == 0) {
            return;
        }
        ByteReader list = r.slice(hdrLen + off, len, ".BTF.ext " + what);
        long recSize = list.u32(0);
        if (recSize < minSize) {
            throw list.malformed(".BTF.ext " + what + " record size " + recSize + " is below " + minSize);
        }
        long at = 4;
        while (at < len) {
            String section = btf.stringAt(list.u32(at), ".BTF.ext " + what + " section name");
            long count = list.u32(at + 4);
            at += 8;
            // The count is bounded by the bytes left, so a hostile count cannot run the loop long.
            list.check(at, count * recSize, ".BTF.ext " + what + " records of section '" + section + "'");
            for (long i = 0; i < count; i++) {
                sink.accept(section, list.slice(at, recSize, ".BTF.ext " + what + " record"));
                at += recSize;
            }
        }
    }
}
