package dev.bee.cli;

import dev.bee.core.object.SectionEntry;
import dev.bee.core.sink.TextTable;

import java.util.List;

/** The text of {@code bee describe --sections}: llvm-objdump's columns (sizes in hex) and what each holds. */
final class SectionsText {
    private SectionsText() {
    }

    static String render(List<SectionEntry> sections) {
        TextTable table = new TextTable(List.of("IDX", "NAME", "SIZE", "VMA", "KIND", "TYPE", "FLAGS", "HOLDS"));
        for (SectionEntry s : sections) {
            table.row(List.of(s.index(), s.name(), String.format("%08x", s.size()), String.format("%016x", s.vma()),
                    s.kind(), s.type(), s.flags(), s.holds()));
        }
        return table.toString();
    }
}
