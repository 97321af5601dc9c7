package dev.bee.cli;

import dev.bee.core.Plural;
import dev.bee.core.object.BpfObject;
import dev.bee.core.object.GlobalVar;
import dev.bee.core.object.MapSpec;
import dev.bee.core.object.ProgramSpec;
import dev.bee.core.sink.TextTable;
import dev.bee.core.sink.VisibleText;

import java.util.List;
import java.util.Locale;

/** Renders a {@link BpfObject} as text for a person: programs, maps, globals in aligned tables. */
final class ObjectText {
    private ObjectText() {
    }

    static String render(BpfObject o) {
        StringBuilder sb = new StringBuilder();
        sb.append("object:   ").append(VisibleText.line(String.valueOf(o.origin()))).append('\n');
        sb.append("license:  ").append(o.license().isEmpty() ? "(none)" : VisibleText.line(o.license())).append("\n\n");

        TextTable programs = new TextTable(List.of("PROGRAM", "TYPE", "ATTACH", "TARGET", "SECTION", "INSNS"));
        for (ProgramSpec p : o.programs()) {
            programs.row(List.of(p.name(), lower(p.type().name()), lower(p.attachKind().name()),
                    p.target() == null ? (p.attachKind().needsTarget() ? "(chosen at run)" : "-") : p.target(),
                    p.section(), p.instructions()));
        }
        sb.append(programs.isEmpty() ? "no programs\n" : programs.toString()).append('\n');

        TextTable maps = new TextTable(List.of("MAP", "TYPE", "KEY", "VALUE", "MAX", "OUTPUT"));
        for (MapSpec m : o.maps()) {
            maps.row(List.of(m.name(), lower(m.type().name()), typeCell(m.keyType(), m.keySize()),
                    typeCell(m.valueType(), m.valueSize()), m.maxEntries(),
                    m.output() == dev.bee.core.object.OutputKind.NONE ? "-" : lower(m.output().name())));
        }
        sb.append(maps.isEmpty() ? "no maps\n" : maps.toString());

        if (!o.globals().isEmpty()) {
            TextTable globals = new TextTable(List.of("GLOBAL", "TYPE", "SECTION", "DEFAULT"));
            for (GlobalVar g : o.globals()) {
                globals.row(List.of(g.name(), g.type(), g.section(), g.defaultValue() == null ? "-" : g.defaultValue()));
            }
            sb.append('\n').append(globals);
        }
        return sb.toString().endsWith("\n") ? sb.toString() : sb + "\n";
    }

    /**
     * A map's key or value column: its C type, else its size, else {@code -} for none (a ring buffer has
     * no key; its JSON says {@code "keySize": 0, "keyType": null}). Shared by the object and image views.
     */
    static String typeCell(String type, long size) {
        return type != null ? type : size == 0 ? "-" : Plural.of(size, "byte");
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
