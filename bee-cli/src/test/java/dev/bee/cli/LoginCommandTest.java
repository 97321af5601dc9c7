package dev.bee.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** --password-stdin takes the password as written: only the final line end goes, spaces stay. */
class LoginCommandTest {
    private static String read(String stdin) {
        return LoginCommand.readPassword(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void onlyTheFinalNewlineIsStripped() {
        assertEquals("s3cret", read("s3cret\n"));
        assertEquals("s3cret", read("s3cret\r\n"), "a Windows line end as well");
        assertEquals("s3cret", read("s3cret"), "no line end at all");
    }

    @Test
    void spacesAndTabsAroundThePasswordAreKept() {
        assertEquals("pass word  ", read("pass word  \n"));
        assertEquals("  lead", read("  lead\n"));
        assertEquals("tab\t", read("tab\t\n"));
        assertEquals(" ", read(" \n"), "a password of one space is one space");
        assertEquals("ünïcødé ", read("ünïcødé \n"));
    }

    @Test
    void onlyOneLineEndGoes() {
        assertEquals("cr\r", read("cr\r\r\n"), "a carriage return that is part of the password stays");
        assertEquals("pa\rss", read("pa\rss\n"), "a lone carriage return ends no line");
        assertEquals("first", read("first\nsecond\n"), "the password is the first line");
        assertEquals("", read("\n"), "an empty line is an empty password (refused later)");
    }

    @Test
    void emptyInputIsNoPassword() {
        assertNull(read(""));
    }
}
