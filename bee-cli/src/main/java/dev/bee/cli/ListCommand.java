package dev.bee.cli;

import dev.bee.core.BeeException;
import dev.bee.core.image.Digests;
import dev.bee.core.image.ImageConfig;
import dev.bee.core.image.ImageStore;
import dev.bee.core.image.LocalImage;
import dev.bee.core.io.Json;
import dev.bee.core.sink.TextTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Mixin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code bee list}: the images in the local store, from their manifests and configs (no ELF parsing). */
@Command(name = "list", aliases = "ls", header = "List the images in the local store.",
        description = "List the images in the local store.")
final class ListCommand implements Callable<Integer> {
    /** The widest PROGRAMS column, so an object with dozens of programs keeps one image a line; -o json has all. */
    static final int PROGRAMS_WIDTH = 48;

    @Mixin
    HelpOption help;

    @ParentCommand
    Main bee;

    @Mixin
    FormatOption format;

    @Override
    public Integer call() {
        ImageStore store = bee.store();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (ImageStore.Entry e : store.namedEntries()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", e.name());
            row.put("digest", e.digest());
            try {
                LocalImage image = store.open(e);
                ImageConfig config = image.beeConfig();
                row.put("kind", image.kind().label());
                row.put("programs", config == null ? null : config.programs().stream().map(ImageConfig.Program::name).toList());
                row.put("size", image.manifest().totalSize());
                row.put("platform", image.platform() == null ? null : image.platform().shortForm());
                row.put("kernel", image.platform() == null ? null : image.platform().osVersion());
            } catch (BeeException ex) {
                row.put("error", ex.getMessage());
            }
            rows.add(row);
        }
        if (format.json()) {
            System.out.println(Json.pretty(rows));
            return 0;
        }
        if (rows.isEmpty()) {
            System.err.println("bee: no images in " + store.root() + " (build one with 'bee build PROG.c NAME:TAG')");
            return 0;
        }
        TextTable t = new TextTable(List.of("NAME", "DIGEST", "KIND", "PROGRAMS", "SIZE", "PLATFORM"));
        for (Map<String, Object> r : rows) {
            Object programs = r.get("programs");
            t.row(List.of(r.get("name"), Digests.shortForm((String) r.get("digest")),
                    r.containsKey("error") ? "broken" : r.get("kind"),
                    programs instanceof List<?> l ? programsCell(l.stream().map(String::valueOf).toList(), PROGRAMS_WIDTH)
                            : r.containsKey("error") ? r.get("error") : "-",
                    r.get("size") == null ? "-" : Digests.humanSize((Long) r.get("size")),
                    r.get("platform") == null ? "-" : r.get("platform")));
        }
        System.out.print(t);
        return 0;
    }

    /**
     * The program names, comma-separated, within {@code width} characters: the names that fit whole, then
     * how many more there are ({@code a,b,… +5 more}); a first name too long to fit is cut ({@code lon…}).
     */
    static String programsCell(List<String> names, int width) {
        String all = String.join(",", names);
        if (all.length() <= width) {
            return all;
        }
        StringBuilder shown = new StringBuilder();
        int count = 0;
        for (String name : names) {
            int length = shown.length() + (count == 0 ? 0 : 1) + name.length();
            if (length + more(names.size() - count - 1).length() > width) {
                break;
            }
            shown.append(count == 0 ? "" : ",").append(name);
            count++;
        }
        if (count == 0) {
            String rest = names.size() > 1 ? more(names.size() - 1).substring(2) : "";
            return names.get(0).substring(0, Math.max(1, width - rest.length() - 1)) + "…" + rest;
        }
        return shown + more(names.size() - count);
    }

    private static String more(int hidden) {
        return hidden == 0 ? "" : ",… +" + hidden + " more";
    }
}
