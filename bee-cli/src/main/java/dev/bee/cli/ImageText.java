package dev.bee.cli;

import dev.bee.core.image.Digests;
import dev.bee.core.image.ImageConfig;
import dev.bee.core.sink.TextTable;
import dev.bee.core.sink.VisibleText;

import java.util.List;
import java.util.Locale;

/**
 * Renders an {@link ImageDescription} for a person. Every string in an image came from whoever pushed
 * it: control characters show as escapes ({@link VisibleText}), so an annotation cannot move the
 * cursor or forge a line.
 */
final class ImageText {
    private ImageText() {
    }

    static String render(ImageDescription d) {
        StringBuilder sb = new StringBuilder();
        sb.append("image:     ").append(d.name() == null ? "(unnamed)" : VisibleText.line(d.name())).append('\n');
        sb.append("digest:    ").append(d.digest()).append('\n');
        sb.append("format:    ").append(d.format()).append('\n');
        sb.append("signed:    ").append(d.signed()).append('\n');
        sb.append("platform:  ").append(d.platform() == null ? "(not recorded)" : VisibleText.line(d.platform().toString())).append('\n');
        sb.append("size:      ").append(Digests.humanSize(d.size())).append('\n');
        d.annotations().forEach((k, v) -> sb.append("annotation ").append(VisibleText.line(k)).append(": ")
                .append(VisibleText.line(v)).append('\n'));
        ImageConfig c = d.object();
        if (c.build() != null) {
            sb.append("built by:  ").append(c.build().clang() == null ? "clang" : "clang " + VisibleText.line(c.build().clang()))
                    .append(c.build().source() == null ? "" : " from " + VisibleText.line(c.build().source()))
                    .append(c.build().sourceDigest() == null ? "" : " (" + Digests.shortForm(c.build().sourceDigest()) + ")")
                    .append('\n');
        }
        sb.append('\n');
        TextTable programs = new TextTable(List.of("PROGRAM", "TYPE", "ATTACH", "TARGET", "SECTION"));
        for (ImageConfig.Program p : c.programs()) {
            programs.row(List.of(p.name(), lower(p.type()), lower(p.attach()), p.target() == null ? "-" : p.target(),
                    p.section()));
        }
        sb.append(programs.isEmpty() ? "no programs\n" : programs.toString()).append('\n');
        TextTable maps = new TextTable(List.of("MAP", "TYPE", "KEY", "VALUE", "MAX", "OUTPUT"));
        for (ImageConfig.MapInfo m : c.maps()) {
            maps.row(List.of(m.name(), lower(m.type()), ObjectText.typeCell(m.keyType(), m.keySize()),
                    ObjectText.typeCell(m.valueType(), m.valueSize()), m.maxEntries(),
                    m.output().equals("NONE") ? "-" : lower(m.output())));
        }
        sb.append(maps.isEmpty() ? "no maps\n" : maps.toString());
        if (!c.globals().isEmpty()) {
            TextTable globals = new TextTable(List.of("GLOBAL", "TYPE", "SECTION", "DEFAULT"));
            for (ImageConfig.Global g : c.globals()) {
                globals.row(List.of(g.name(), g.type(), g.section(), g.defaultValue() == null ? "-" : g.defaultValue()));
            }
            sb.append('\n').append(globals);
        }
        return sb.toString().endsWith("\n") ? sb.toString() : sb + "\n";
    }

    private static String lower(String s) {
        return s == null ? "-" : s.toLowerCase(Locale.ROOT);
    }
}
