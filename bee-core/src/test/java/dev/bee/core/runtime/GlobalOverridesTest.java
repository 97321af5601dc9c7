package dev.bee.core.runtime;

import dev.bee.core.object.GlobalVar;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which globals --set may change, and which of libbpf's data maps holds a global's section. */
class GlobalOverridesTest {
    private static GlobalVar global(String section, boolean constant) {
        return new GlobalVar("g", section, "int", 0, 4, constant, 0L, 1);
    }

    @Test
    void constGlobalsAndEveryRodataGlobalAreSettable() {
        assertTrue(GlobalOverrides.settable(global(".rodata", false)), "clang puts const globals in .rodata");
        assertTrue(GlobalOverrides.settable(global(".rodata.config", false)));
        assertTrue(GlobalOverrides.settable(global(".data", true)), "BTF says const");
        assertFalse(GlobalOverrides.settable(global(".data", false)));
        assertFalse(GlobalOverrides.settable(global(".bss", false)));
        assertFalse(GlobalOverrides.settable(global(".rodatax", false)), "another section that starts alike");
    }

    @Test
    void dataMapsAreNamedByObjectPrefixAndSectionOrBySectionAlone() {
        assertTrue(GlobalOverrides.isDataMapOf("opensnoo.rodata", ".rodata"));
        assertTrue(GlobalOverrides.isDataMapOf("opensnoo.bss", ".bss"));
        assertTrue(GlobalOverrides.isDataMapOf(".rodata.str1.1", ".rodata.str1.1"));
        assertTrue(GlobalOverrides.isDataMapOf(".rodata.config_", ".rodata.config_values"),
                "a section name cut to the kernel's 15 characters");
        assertFalse(GlobalOverrides.isDataMapOf("opensnoo.data", ".rodata"));
        assertFalse(GlobalOverrides.isDataMapOf("opensnoo.x.data", ".data"), "the prefix ends at the first dot");
        assertFalse(GlobalOverrides.isDataMapOf("a.b.rodata", ".rodata"));
        assertFalse(GlobalOverrides.isDataMapOf("counter_rodata", ".rodata"));
    }
}
