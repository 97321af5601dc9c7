package dev.bee.core.attach;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import dev.bee.core.object.ProgramSection;
import dev.bee.core.object.ProgramSpec;
import dev.bee.core.object.SectionNames;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which side of the interface a tc program goes to: its section's, else --tc-direction's. */
class TcAttacherTest {
    private static ProgramSpec spec(String section) {
        ProgramSection s = SectionNames.parse(section);
        return new ProgramSpec("p", section, s.type(), s.attachKind(), s.target(), s.expectedAttachType(),
                s.sleepable(), 0);
    }

    private static AttachOptions direction(String dir) {
        return new AttachOptions("lo", dir, null, 0, -1);
    }

    @Test
    void theSectionDecidesOverTheFlag() {
        assertTrue(TcAttacher.ingress(spec("tc/ingress"), direction("egress")));
        assertFalse(TcAttacher.ingress(spec("tc/egress"), direction("ingress")));
        assertTrue(TcAttacher.ingress(spec("tcx/ingress"), direction("egress")));
        assertFalse(TcAttacher.ingress(spec("tcx/egress"), direction("ingress")));
    }

    @Test
    void plainTcTakesTheFlagIngressByDefault() {
        assertTrue(TcAttacher.ingress(spec("tc"), direction(null)));
        assertFalse(TcAttacher.ingress(spec("tc"), direction("egress")));
        assertFalse(TcAttacher.ingress(spec("classifier"), direction("egress")));
    }

    /** A wrong direction is refused when the options are made, before any program is looked at. */
    @Test
    void aDirectionOtherThanIngressOrEgressIsRefusedAlways() {
        for (String bad : new String[]{"both", "sideways", ""}) {
            BeeException e = assertThrows(BeeException.class, () -> direction(bad));
            assertEquals(ErrorKind.USAGE, e.kind());
            assertEquals("--tc-direction must be ingress or egress, not " + bad, e.getMessage());
        }
    }
}
