package dev.bee.core.image.container;

import dev.bee.core.object.BpfObject;
import dev.bee.core.object.MapSpec;
import dev.bee.core.object.MapType;
import dev.bee.core.object.OutputKind;
import dev.bee.core.object.ProgramSection;
import dev.bee.core.object.ProgramSpec;
import dev.bee.core.object.SectionNames;

import java.util.ArrayList;
import java.util.List;

/** Object models made by hand: programs named after their sections, maps of given types. */
public final class TestObjects {
    private TestObjects() {
    }

    /** An object with one program per section ({@code prog0, prog1...}) and the given maps. */
    public static BpfObject object(List<String> sections, List<MapSpec> maps) {
        List<ProgramSpec> programs = new ArrayList<>();
        for (int i = 0; i < sections.size(); i++) {
            ProgramSection s = SectionNames.parse(sections.get(i));
            programs.add(new ProgramSpec("prog" + i, s.section(), s.type(), s.attachKind(), s.target(),
                    s.expectedAttachType(), s.sleepable(), 8));
        }
        return new BpfObject("test.o", "GPL", programs, maps, List.of(), null, null, new byte[0]);
    }

    static BpfObject object(String... sections) {
        return object(List.of(sections), List.of());
    }

    static MapSpec map(String name, MapType type) {
        return new MapSpec(name, ".maps", type, 4, 8, 16, 0, false, OutputKind.of(name, ".maps"), null, null, 0, 0);
    }
}
