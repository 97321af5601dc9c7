package dev.bee.core.image;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Docker's reference rules: default registry and library/ prefix, tags, digests, and the refusals. */
class ImageRefTest {
    // A compile-time constant so it can appear in annotations.
    private static final String HEX = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    @Test
    void oneComponentNameGoesToDockerHubLibrary() {
        ImageRef r = ImageRef.parse("my_probe:v1");
        assertEquals(new ImageRef("docker.io", "library/my_probe", "v1", null), r);
        assertEquals("docker.io/library/my_probe", r.repository());
        assertEquals("docker.io/library/my_probe:v1", r.canonical());
        assertEquals("my_probe:v1", r.familiar());
        assertEquals("my_probe:v1", r.toString());
    }

    @Test
    void withoutTagOrDigestTheTagIsLatest() {
        assertEquals(new ImageRef("localhost:5000", "probes/x", "latest", null), ImageRef.parse("localhost:5000/probes/x"));
        assertEquals(new ImageRef("docker.io", "library/x", "latest", null), ImageRef.parse("x"));
        assertEquals(new ImageRef("localhost", "x", "latest", null), ImageRef.parse("localhost/x"));
    }

    @Test
    void twoComponentHubNameKeepsItsNamespace() {
        ImageRef r = ImageRef.parse("solo/probe:1.0");
        assertEquals(new ImageRef("docker.io", "solo/probe", "1.0", null), r);
        assertEquals("solo/probe:1.0", r.familiar());
    }

    @Test
    void firstComponentIsARegistryOnlyWithADotAColonOrLocalhost() {
        assertEquals("ghcr.io", ImageRef.parse("ghcr.io/a/b:1").domain());
        assertEquals("myhost:5000", ImageRef.parse("myhost:5000/a").domain());
        assertEquals("docker.io", ImageRef.parse("myhost/a").domain());
        assertEquals("myhost/a", ImageRef.parse("myhost/a").path());
    }

    @Test
    void dockerHubAliasesAreNormalised() {
        assertEquals(new ImageRef("docker.io", "library/x", "latest", null), ImageRef.parse("index.docker.io/x"));
        assertEquals(new ImageRef("docker.io", "library/x", "2", null), ImageRef.parse("registry-1.docker.io/library/x:2"));
    }

    @Test
    void digestOnlyHasNoTag() {
        ImageRef r = ImageRef.parse("localhost:5000/probes/x@sha256:" + HEX);
        assertNull(r.tag());
        assertEquals("sha256:" + HEX, r.digest());
        assertEquals("localhost:5000/probes/x@sha256:" + HEX, r.canonical());
    }

    @Test
    void tagAndDigestTogether() {
        ImageRef r = ImageRef.parse("x:v2@sha256:" + HEX);
        assertEquals(new ImageRef("docker.io", "library/x", "v2", "sha256:" + HEX), r);
        assertEquals("docker.io/library/x:v2@sha256:" + HEX, r.canonical());
        assertEquals("x:v2@sha256:" + HEX, r.familiar());
    }

    @ParameterizedTest
    @ValueSource(strings = {"my_probe:v1", "x", "solo/probe:1.0", "localhost/x:1", "localhost:5000/probes/x",
            "ghcr.io/org/team/probe:v1.2-rc_3", "[::1]:5000/p:1", "docker.io/library/a/b:c",
            "x@sha256:" + HEX, "reg.example.com/a/b:t@sha256:" + HEX})
    void familiarAndCanonicalFormsParseBackToTheSameReference(String text) {
        ImageRef r = ImageRef.parse(text);
        assertEquals(r, ImageRef.parse(r.familiar()));
        assertEquals(r, ImageRef.parse(r.canonical()));
        assertEquals(r.canonical(), ImageRef.parse(r.familiar()).canonical());
    }

    @Test
    void familiarKeepsLibraryWhenItIsNotTheOnlyPrefix() {
        // docker.io/library/a/b is not an official image; dropping library/ would change its meaning.
        assertEquals("library/a/b:c", ImageRef.parse("docker.io/library/a/b:c").familiar());
        assertEquals("a/b:c", ImageRef.parse("docker.io/a/b:c").familiar());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "My_Probe:v1|repository names must be lowercase",
            "localhost:5000/Probes/x|repository names must be lowercase",
            "x:bad tag|'bad tag' is not a valid tag",
            "x:-lead|'-lead' is not a valid tag",
            "x:|'' is not a valid tag",
            "https://ghcr.io/a/b:1|a reference has no scheme",
            "x@sha256:abc|is not a digest",
            "x@sha256:" + "0123456789abcdef0123456789abcdef" + "|a sha256 digest has 64 lowercase hex digits",
            // Docker (go-digest) accepts only lowercase sha256 hex; bee's own digests are lowercase too.
            "x@sha256:" + "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF"
                    + "|a sha256 digest has 64 lowercase hex digits",
            "x@md5|is not a digest",
            "a//b|'' is not a valid repository path component",
            "a/-b|'-b' is not a valid repository path component",
            "local_host:5000/x|is not a registry host",
            "localhost:5000/|the repository name is missing",
    })
    void invalidReferencesAreUsageErrorsThatSayWhy(String text, String why) {
        BeeException e = assertThrows(BeeException.class, () -> ImageRef.parse(text));
        assertEquals(ErrorKind.USAGE, e.kind());
        assertTrue(e.getMessage().startsWith("invalid image reference '" + text + "': "), e.getMessage());
        assertTrue(e.getMessage().contains(why), e.getMessage());
        assertTrue(e.hint().contains("[REGISTRY/]NAME[:TAG]"), e.hint());
        assertFalse(ImageRef.isValid(text));
    }

    @Test
    void emptyAndBlankAreRefused() {
        for (String s : new String[]{"", "   ", null}) {
            BeeException e = assertThrows(BeeException.class, () -> ImageRef.parse(s));
            assertEquals(ErrorKind.USAGE, e.kind());
            assertTrue(e.getMessage().endsWith("it is empty"), e.getMessage());
            assertFalse(ImageRef.isValid(s));
        }
    }

    @Test
    void tagLengthIsBoundedAt128() {
        assertEquals("a".repeat(128), ImageRef.parse("x:" + "a".repeat(128)).tag());
        assertFalse(ImageRef.isValid("x:" + "a".repeat(129)));
    }

    @Test
    void nameLengthIsBoundedAt255() {
        String path = "a".repeat(255 - "example.com/".length());
        assertTrue(ImageRef.isValid("example.com/" + path));
        BeeException e = assertThrows(BeeException.class, () -> ImageRef.parse("example.com/" + path + "a"));
        assertTrue(e.getMessage().contains("longer than 255"), e.getMessage());
    }

    @Test
    void withDigestKeepsTheTag() {
        ImageRef r = ImageRef.parse("x:1@sha256:" + HEX);
        assertEquals(new ImageRef("docker.io", "library/x", "1", "sha256:" + "f".repeat(64)),
                r.withDigest("sha256:" + "f".repeat(64)));
    }

    @Test
    void sameAsComparesRepositoryThenDigestOrTag() {
        ImageRef a = ImageRef.parse("x:1");
        assertTrue(a.sameAs(ImageRef.parse("docker.io/library/x:1")));
        assertFalse(a.sameAs(ImageRef.parse("x:2")));
        assertFalse(a.sameAs(ImageRef.parse("y:1")));
        ImageRef d1 = ImageRef.parse("x@sha256:" + HEX);
        assertTrue(d1.sameAs(ImageRef.parse("x:1@sha256:" + HEX)));
        assertFalse(d1.sameAs(ImageRef.parse("x@sha256:" + "f".repeat(64))));
        assertFalse(d1.sameAs(a), "a digest-only reference names no tag");
    }
}
