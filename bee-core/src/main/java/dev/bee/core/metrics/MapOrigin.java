package dev.bee.core.metrics;

import dev.bee.core.BeeException;
import dev.bee.core.elf.ElfFile;
import dev.bee.core.elf.ElfRelocation;
import dev.bee.core.elf.ElfSection;
import dev.bee.core.elf.ElfSymbol;
import dev.bee.core.object.BpfObject;
import dev.bee.core.object.MapSpec;
import dev.bee.core.object.ProgramSpec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where the maps come from, for the metrics' HELP text: the object's file name, its programs, and per map
 * the programs whose code refers to it (read from the object's relocations; a map used only from a
 * subprogram, or an object without them, is said to be used by all the object's programs).
 *
 * @param object   the object's file name
 * @param programs the object's program names
 * @param users    map name to the programs whose code refers to it
 */
public record MapOrigin(String object, List<String> programs, Map<String, List<String>> users) {
    /** Most program names the HELP text lists. */
    private static final int LISTED = 4;

    public MapOrigin {
        programs = List.copyOf(programs);
        users = Map.copyOf(users);
    }

    public static MapOrigin of(BpfObject object) {
        String origin = object.origin();
        String file = origin.substring(origin.lastIndexOf('/') + 1);
        return new MapOrigin(file.isEmpty() ? origin : file, object.programs().stream().map(ProgramSpec::name).toList(),
                users(object));
    }

    /** Per map, the programs whose instructions the linker relocates against the map's symbol. */
    private static Map<String, List<String>> users(BpfObject object) {
        ElfFile elf = object.elf();
        if (elf == null) {
            return Map.of();
        }
        Set<String> maps = new LinkedHashSet<>();
        object.maps().stream().map(MapSpec::name).forEach(maps::add);
        Set<String> programNames = new LinkedHashSet<>(object.programs().stream().map(ProgramSpec::name).toList());
        Map<Integer, List<ElfSymbol>> functions = new HashMap<>();
        for (ElfSymbol s : elf.symbols()) {
            if (s.isFunction()) {
                functions.computeIfAbsent(s.sectionIndex(), k -> new ArrayList<>()).add(s);
            }
        }
        Map<String, Set<String>> out = new HashMap<>();
        try {
            for (ElfSection rel : elf.sections()) {
                if (rel.type() != ElfSection.SHT_REL && rel.type() != ElfSection.SHT_RELA) {
                    continue;
                }
                for (ElfRelocation r : elf.relocations(rel)) {
                    String map = elf.symbol(r.symbolIndex()).name();
                    if (!maps.contains(map)) {
                        continue;
                    }
                    String program = functionAt(functions.getOrDefault(rel.info(), List.of()), r.offset());
                    if (program != null && programNames.contains(program)) {
                        out.computeIfAbsent(map, k -> new LinkedHashSet<>()).add(program);
                    }
                }
            }
        } catch (BeeException | IndexOutOfBoundsException e) {
            return Map.of(); // a malformed object loads no further; the HELP text then names every program
        }
        Map<String, List<String>> lists = new HashMap<>();
        out.forEach((k, v) -> lists.put(k, new ArrayList<>(v)));
        return lists;
    }

    /** The name of the function (of one section's) that holds byte {@code offset}, or null. */
    private static String functionAt(List<ElfSymbol> functions, long offset) {
        for (ElfSymbol s : functions) {
            if (offset >= s.value() && offset < s.value() + s.size()) {
                return s.name();
            }
        }
        return null;
    }

    /** "object.o (program a)" naming the programs that use {@code map}, at most a few. */
    String text(String map) {
        List<String> named = users.getOrDefault(map, programs);
        if (named.isEmpty()) {
            return object;
        }
        String listed = String.join(", ", named.subList(0, Math.min(LISTED, named.size())));
        String more = named.size() > LISTED ? " and " + (named.size() - LISTED) + " more" : "";
        return object + " (" + (named.size() == 1 ? "program " : "programs ") + listed + more + ")";
    }
}
