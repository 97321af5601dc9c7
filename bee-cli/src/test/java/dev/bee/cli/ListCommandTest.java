package dev.bee.cli;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code bee list}'s PROGRAMS column stays within its width, and says how many names it leaves out. */
class ListCommandTest {

    @Test
    void namesThatFitAreShownWhole() {
        assertEquals("handle_enter,handle_exit", ListCommand.programsCell(List.of("handle_enter", "handle_exit"), 48));
        assertEquals("", ListCommand.programsCell(List.of(), 48));
    }

    @Test
    void manyNamesEndInACount() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            names.add("trace_syscall_" + i);
        }
        String cell = ListCommand.programsCell(names, ListCommand.PROGRAMS_WIDTH);
        assertEquals("trace_syscall_0,trace_syscall_1,… +28 more", cell);
        assertTrue(String.join(",", names).length() > 150, "the case the column is for");
    }

    @Test
    void theCellNeverExceedsItsWidth() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            names.add("p".repeat(1 + i % 23) + i);
            for (int width : new int[]{12, 20, 48, 80}) {
                String cell = ListCommand.programsCell(names, width);
                assertTrue(cell.length() <= width, width + ": " + cell);
            }
        }
    }

    @Test
    void aFirstNameTooLongIsCut() {
        String longName = "a_program_name_that_is_far_too_long_for_the_column_by_itself";
        assertEquals("a_program_name_that_is_far_too_long_for_the_col…",
                ListCommand.programsCell(List.of(longName), 48));
        assertEquals("a_program_name_that_is_far_too_long_for… +2 more",
                ListCommand.programsCell(List.of(longName, "b", "c"), 48));
    }
}
