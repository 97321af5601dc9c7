package dev.bee.core.object;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.bee.core.btf.Btf;
import dev.bee.core.elf.ElfFile;

import java.util.List;
import java.util.Optional;

/**
 * What a compiled eBPF object contains: programs, maps, globals and license, plus the ELF and BTF
 * they were read from (for the loader and the decoder). Built by {@link ObjectReader}.
 */
public record BpfObject(String origin, String license, List<ProgramSpec> programs, List<MapSpec> maps,
                        List<GlobalVar> globals, @JsonIgnore ElfFile elf, @JsonIgnore Btf btf,
                        @JsonIgnore byte[] bytes) {

    public Optional<MapSpec> map(String name) {
        return maps.stream().filter(m -> m.name().equals(name)).findFirst();
    }

    public Optional<GlobalVar> global(String name) {
        return globals.stream().filter(g -> g.name().equals(name)).findFirst();
    }

    /** Whether any map sits in an older {@code .maps.<kind>} section that libbpf 1.x refuses. */
    @JsonIgnore
    public boolean usesLegacyMapSections() {
        return maps.stream().anyMatch(m -> m.section().startsWith(".maps."));
    }
}
