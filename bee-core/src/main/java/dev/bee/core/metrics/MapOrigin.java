package dev.bee.core.metrics;

import dev.bee.core.object.BpfObject;
import dev.bee.core.object.ProgramSpec;

import java.util.List;

/**
 * Where the maps come from, for the metrics' HELP text: the object's file name and its programs. The
 * object model does not record which program writes which map, so the HELP text names them all.
 *
 * @param object   the object's file name
 * @param programs the object's program names
 */
public record MapOrigin(String object, List<String> programs) {
    /** Most program names the HELP text lists. */
    private static final int LISTED = 4;

    public MapOrigin {
        programs = List.copyOf(programs);
    }

    public static MapOrigin of(BpfObject object) {
        String origin = object.origin();
        String file = origin.substring(origin.lastIndexOf('/') + 1);
        return new MapOrigin(file.isEmpty() ? origin : file, object.programs().stream().map(ProgramSpec::name).toList());
    }

    /** "object.o (programs a, b)" with at most a few names. */
    String text() {
        if (programs.isEmpty()) {
            return object;
        }
        String listed = String.join(", ", programs.subList(0, Math.min(LISTED, programs.size())));
        String more = programs.size() > LISTED ? " and " + (programs.size() - LISTED) + " more" : "";
        return object + " (program" + (programs.size() == 1 ? " " : "s ") + listed + more + ")";
    }
}
