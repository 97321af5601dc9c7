package dev.bee.cli;

import dev.bee.core.disasm.Disassembly;

/**
 * The text of {@code bee describe --disasm}, laid out as {@code llvm-objdump -d -S}: a header per
 * function, labels, the C source line above the instructions it produced, then index, raw bytes and
 * instruction; relocations and CO-RE relocations follow their instruction as {@code ;} notes.
 */
final class DisasmText {
    private DisasmText() {
    }

    static String render(Disassembly d) {
        StringBuilder sb = new StringBuilder();
        String section = null;
        for (Disassembly.Function f : d.functions()) {
            if (!f.section().equals(section)) {
                section = f.section();
                sb.append(sb.isEmpty() ? "" : "\n").append("Disassembly of section ").append(section).append(":\n");
            }
            long start = f.lines().isEmpty() ? 0 : f.lines().get(0).index() * 8L;
            sb.append('\n').append(String.format("%016x", start)).append(" <").append(f.name()).append(">:")
                    .append(f.program() ? "  (program)" : "").append('\n');
            for (Disassembly.Line l : f.lines()) {
                if (l.label() != null) {
                    sb.append('\n').append(String.format("%016x", l.index() * 8L)).append(" <").append(l.label())
                            .append(">:\n");
                }
                if (l.source() != null) {
                    sb.append("; ").append(l.source().text().strip()).append("  [").append(fileName(l.source().file()))
                            .append(':').append(l.source().line()).append("]\n");
                }
                sb.append(String.format("%8d:\t", l.index())).append(l.bytes()).append('\t').append(l.text()).append('\n');
                for (Disassembly.Note n : l.notes()) {
                    sb.append("\t\t; ").append(n.text()).append('\n');
                }
            }
        }
        return sb.toString();
    }

    private static String fileName(String path) {
        int slash = path.lastIndexOf('/');
        return slash >= 0 ? path.substring(slash + 1) : path;
    }
}
