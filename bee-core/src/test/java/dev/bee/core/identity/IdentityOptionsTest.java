package dev.bee.core.identity;

import dev.bee.core.BeeException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdentityOptionsTest {
    @Test
    void nothingAskedCostsNothing() {
        assertFalse(IdentityOptions.parse(List.of(), null, null, null, null).active());
    }

    @Test
    void podImpliesContainer() {
        IdentityOptions o = IdentityOptions.parse(List.of("pod"), null, null, null, null);
        assertTrue(o.containers() && o.pods() && o.needsPods());
    }

    @Test
    void podFilter() {
        IdentityOptions o = IdentityOptions.parse(List.of(), null, "shop/web-0", null, null);
        assertEquals("shop", o.podNamespace());
        assertEquals("web-0", o.podName());
        assertTrue(o.active() && o.needsPods() && !o.containers());
    }

    @Test
    void badFormsSayTheRightOne() {
        BeeException e = assertThrows(BeeException.class, () -> IdentityOptions.parse(List.of("node"), null, null, null, null));
        assertTrue(e.getMessage().contains("expected container or pod"), e.getMessage());
        assertThrows(BeeException.class, () -> IdentityOptions.parse(List.of(), null, "web-0", null, null));
        assertThrows(BeeException.class, () -> IdentityOptions.parse(List.of(), null, "a/b/c", null, null));
        assertThrows(BeeException.class, () -> IdentityOptions.parse(List.of(), null, "shop/web-0", "other", null));
        assertThrows(BeeException.class, () -> IdentityOptions.parse(List.of(), " ", null, null, null));
    }
}
