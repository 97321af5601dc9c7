package dev.bee.core.runtime;

import dev.bee.core.attach.AttachOptions;

import java.nio.file.Path;
import java.util.List;

/**
 * How to load and attach an object: global overrides, pin folders, the targets that some program kinds
 * need, and run statistics.
 *
 * @param sets     {@code NAME=VALUE} overrides of const volatile globals
 * @param pinMaps  folder to pin maps in (kept after exit), or null
 * @param pinProgs folder to pin programs in (kept after exit), or null
 * @param attach   interface, tc direction, cgroup, perf frequency and process for the attachers
 * @param runStats have the kernel count each program's runs and run time (BPF_ENABLE_STATS) during the run
 */
public record RunOptions(List<String> sets, Path pinMaps, Path pinProgs, AttachOptions attach, boolean runStats) {
    public RunOptions {
        sets = sets == null ? List.of() : List.copyOf(sets);
    }
}
