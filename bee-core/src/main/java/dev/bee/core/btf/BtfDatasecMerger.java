package dev.bee.core.btf;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * Rewrites raw BTF so that the variables of some DATASECs join another one (named {@code target},
 * created by renaming the first source if it does not exist). Emptied DATASECs become an unnamed
 * 4-byte int, which keeps every type id unchanged. The merged DATASEC keeps size 0 and variable
 * offsets 0, as clang writes them: libbpf fills both from the ELF section and symbols.
 */
public final class BtfDatasecMerger {
    private static final int INT_KIND = 1;
    private static final int DATASEC_KIND = 15;

    private BtfDatasecMerger() {
    }

    public static byte[] merge(byte[] raw, Btf btf, ByteOrder order, String target, Set<String> sources) {
        ByteBuffer in = ByteBuffer.wrap(raw).order(order);
        int hdrLen = in.getInt(4);
        int typeOff = in.getInt(8);
        int typeLen = in.getInt(12);
        int strOff = in.getInt(16);
        int strLen = in.getInt(20);
        byte[] strings = new byte[strLen];
        System.arraycopy(raw, hdrLen + strOff, strings, 0, strLen);

        Integer targetId = btf.find(BtfKind.DATASEC, target).orElse(null);
        List<BtfType.SectionVar> moved = new java.util.ArrayList<>();
        Integer renamed = null;
        for (int id = 1; id < btf.count(); id++) {
            if (btf.type(id) instanceof BtfType.Datasec d && sources.contains(d.name())) {
                if (targetId == null && renamed == null) {
                    renamed = id; // becomes the target; keeps its own vars
                } else {
                    moved.addAll(d.vars());
                }
            }
        }
        int targetNameOff = -1;
        if (targetId == null) {
            targetId = renamed;
            targetNameOff = strings.length;
            byte[] add = (target + "\0").getBytes(StandardCharsets.UTF_8);
            byte[] grown = new byte[strings.length + add.length];
            System.arraycopy(strings, 0, grown, 0, strings.length);
            System.arraycopy(add, 0, grown, strings.length, add.length);
            strings = grown;
        }

        ByteArrayOutputStream types = new ByteArrayOutputStream();
        int off = hdrLen + typeOff;
        for (int id = 1; id < btf.count(); id++) {
            BtfType t = btf.type(id);
            int len = recordLength(t);
            ByteBuffer rec = ByteBuffer.wrap(raw, off, len).slice().order(order);
            if (id == targetId) {
                BtfType.Datasec d = (BtfType.Datasec) t;
                int vlen = d.vars().size() + moved.size();
                ByteBuffer out = ByteBuffer.allocate(12 + 12 * vlen).order(order);
                out.putInt(targetNameOff >= 0 ? targetNameOff : rec.getInt(0));
                out.putInt((DATASEC_KIND << 24) | vlen);
                out.putInt(0);
                for (BtfType.SectionVar v : d.vars()) {
                    out.putInt(v.type()).putInt(0).putInt((int) v.size());
                }
                for (BtfType.SectionVar v : moved) {
                    out.putInt(v.type()).putInt(0).putInt((int) v.size());
                }
                types.writeBytes(out.array());
            } else if (t instanceof BtfType.Datasec d && sources.contains(d.name())) {
                ByteBuffer out = ByteBuffer.allocate(16).order(order);
                out.putInt(0).putInt(INT_KIND << 24).putInt(4).putInt(32);
                types.writeBytes(out.array());
            } else {
                byte[] copy = new byte[len];
                rec.get(0, copy);
                types.writeBytes(copy);
            }
            off += len;
        }
        byte[] t = types.toByteArray();
        ByteBuffer out = ByteBuffer.allocate(hdrLen + t.length + strings.length).order(order);
        out.put(raw, 0, hdrLen);
        out.putInt(8, 0).putInt(12, t.length).putInt(16, t.length).putInt(20, strings.length);
        out.position(hdrLen);
        out.put(t).put(strings);
        return out.array();
    }

    /** Bytes of a type's record in raw BTF: the 12-byte header plus what its kind appends. */
    static int recordLength(BtfType t) {
        int extra;
        if (t instanceof BtfType.Int || t instanceof BtfType.Var || t instanceof BtfType.DeclTag) {
            extra = 4;
        } else if (t instanceof BtfType.Array) {
            extra = 12;
        } else if (t instanceof BtfType.Struct s) {
            extra = 12 * s.members().size();
        } else if (t instanceof BtfType.Enum e) {
            extra = (e.wide() ? 12 : 8) * e.values().size();
        } else if (t instanceof BtfType.FuncProto p) {
            extra = 8 * p.params().size();
        } else if (t instanceof BtfType.Datasec d) {
            extra = 12 * d.vars().size();
        } else {
            extra = 0;
        }
        return 12 + extra;
    }
}
