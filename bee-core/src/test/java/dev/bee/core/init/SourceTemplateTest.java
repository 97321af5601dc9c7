package dev.bee.core.init;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How a template's placeholders are filled, and that a missing value is an error, never a blank. */
class SourceTemplateTest {
    private static final SourceTemplate T = new SourceTemplate("t.c", """
            /* $FILE: a test */
            struct event_t {
            \t$FIELDS;
            \tu32 pid;
            };
            } $MAP SEC(".maps");
            \tbpf_map_update_elem(&$MAP, &key, &$MAPS, BPF_ANY); /* $MAPs; $lower and $ stay */
            """);

    @Test
    void fillsInlinePlaceholdersAndIndentsBlocks() {
        String out = T.render(Map.of("FILE", "x.c", "FIELDS", "char comm[16];\nu64 le; /* bound */\n",
                "MAP", "hist_x", "MAPS", "unused"));
        assertEquals("""
                /* x.c: a test */
                struct event_t {
                \tchar comm[16];
                \tu64 le; /* bound */
                \tu32 pid;
                };
                } hist_x SEC(".maps");
                \tbpf_map_update_elem(&hist_x, &key, &unused, BPF_ANY); /* hist_xs; $lower and $ stay */
                """, out);
    }

    @Test
    void anEmptyBlockRemovesItsLineAndBlankLinesInABlockStayBlank() {
        String out = T.render(Map.of("FILE", "x.c", "FIELDS", "", "MAP", "m", "MAPS", "n"));
        assertTrue(out.contains("struct event_t {\n\tu32 pid;\n"), out);
        String blank = T.render(Map.of("FILE", "x.c", "FIELDS", "int a;\n\nint b;", "MAP", "m", "MAPS", "n"));
        assertTrue(blank.contains("{\n\tint a;\n\n\tint b;\n\tu32 pid;"), blank);
    }

    /** A user's section or file name may hold a '$': it is text, never read for placeholders again. */
    @Test
    void valuesAreNotSearchedForPlaceholders() {
        String out = T.render(Map.of("FILE", "$MAP.c", "FIELDS", "$FILE;", "MAP", "$FIELDS", "MAPS", "$$"));
        assertTrue(out.startsWith("/* $MAP.c: a test */\nstruct event_t {\n\t$FILE;\n"), out);
        assertTrue(out.contains("} $FIELDS SEC") && out.contains("&$$, BPF_ANY"), out);
    }

    @Test
    void aPlaceholderWithoutAValueIsAnErrorThatSaysWhere() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> T.render(Map.of("FILE", "x.c", "FIELDS", "")));
        assertTrue(e.getMessage().startsWith("template t.c line 6: no value for $MAP"), e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> T.render(Map.of("FILE", "x.c", "MAP", "m", "MAPS", "n")));
        assertTrue(e.getMessage().startsWith("template t.c line 3: no value for $FIELDS"), e.getMessage());
    }

    @Test
    void severalLinesInsideALineAreAnError() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> T.render(Map.of("FILE", "a\nb", "FIELDS", "", "MAP", "m", "MAPS", "n")));
        assertTrue(e.getMessage().contains("line 1: $FILE has several lines"), e.getMessage());
    }

    @Test
    void aTemplateNotInTheJarIsAnError() {
        assertThrows(IllegalStateException.class, () -> SourceTemplate.load("no_such_kind.c"));
        assertTrue(SourceTemplate.load("probe.c").lines().contains("int $FUNCTION(void *ctx)"));
    }
}
