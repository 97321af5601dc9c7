package dev.bee.core.image;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Which entries a reference names: names in any Docker form, digests, digest prefixes; and what rmi takes. */
class StoreLookupTest {
    private static final String P = "sha256:abcdef" + "1".repeat(58);
    private static final String Q = "sha256:abcdef" + "2".repeat(58);
    private static final String R = "sha256:" + "3".repeat(64);

    private static ImageStore.Entry entry(String name, String digest) {
        return new ImageStore.Entry(name, Descriptor.of(MediaTypes.OCI_MANIFEST, digest, 1, Map.of()));
    }

    private static final ImageStore.Entry PROBE = entry("my_probe:v1", P);
    private static final ImageStore.Entry STABLE = entry("my_probe:stable", P);
    private static final ImageStore.Entry REMOTE = entry("localhost:5000/probes/x:v2", Q);
    private static final ImageStore.Entry UNNAMED = entry(null, R);
    private static final List<ImageStore.Entry> ALL = List.of(PROBE, STABLE, REMOTE, UNNAMED);

    @Test
    void aNameMatchesInEveryFormItCanBeWritten() {
        for (String ref : List.of("my_probe:v1", "docker.io/library/my_probe:v1", "index.docker.io/library/my_probe:v1",
                "my_probe@" + P, "my_probe:v1@" + P)) {
            assertEquals(Optional.of(PROBE), StoreLookup.find(ALL, ref), ref);
        }
        assertEquals(Optional.of(REMOTE), StoreLookup.find(ALL, "localhost:5000/probes/x:v2"));
        assertEquals(Optional.of(STABLE), StoreLookup.find(ALL, "my_probe:stable@" + P), "the tag picks the name");
        for (String ref : List.of("my_probe", "my_probe:v2", "other/my_probe:v1", "my_probe:v1@" + Q, "localhost:5000/probes/x")) {
            assertEquals(List.of(), StoreLookup.byName(ALL, ref), ref);
        }
    }

    @Test
    void theNameStoredExactlyAsGivenComesFirst() {
        ImageStore.Entry longForm = entry("docker.io/library/my_probe:v1", Q); // as another tool may name it
        assertEquals(List.of(longForm, PROBE), StoreLookup.byName(List.of(PROBE, longForm), "docker.io/library/my_probe:v1"));
        assertEquals(List.of(PROBE, longForm), StoreLookup.byName(List.of(PROBE, longForm), "my_probe:v1"));
    }

    @Test
    void aDigestOrAPrefixOfSixOrMoreHexDigitsMatchesByDigest() {
        assertEquals(Optional.of(UNNAMED), StoreLookup.find(ALL, R), "unnamed entries are found by digest");
        assertEquals(Optional.of(UNNAMED), StoreLookup.find(ALL, R.substring(7, 13)));
        assertEquals(Optional.of(PROBE), StoreLookup.find(ALL, "abcdef1"));
        assertEquals(Optional.of(REMOTE), StoreLookup.find(ALL, "sha256:abcdef2"));
        assertEquals(Optional.empty(), StoreLookup.find(ALL, "33333"), "five digits are too few");
        assertEquals(Optional.empty(), StoreLookup.find(ALL, "sha256:" + "0".repeat(64)));
        assertEquals(List.of(PROBE, STABLE), StoreLookup.byDigest(ALL, P.substring(7)));
    }

    @Test
    void aPrefixOfSeveralImagesIsAUsageErrorButSeveralNamesOfOneImageAreNot() {
        BeeException e = assertThrows(BeeException.class, () -> StoreLookup.find(ALL, "abcdef"));
        assertEquals(ErrorKind.USAGE, e.kind());
        assertEquals("'abcdef' matches several images", e.getMessage());
        assertEquals("give more digits of the digest, or the image's name", e.hint());
        assertEquals(Optional.of(PROBE), StoreLookup.find(ALL, "abcdef1111"), "two names, one image: the first");
    }

    @Test
    void rmiTakesOneNameOrEveryEntryOfADigest() {
        assertEquals(List.of(PROBE), StoreLookup.toRemove(ALL, "my_probe:v1"));
        assertEquals(List.of(STABLE), StoreLookup.toRemove(ALL, "docker.io/library/my_probe:stable"));
        assertEquals(List.of(PROBE, STABLE), StoreLookup.toRemove(ALL, P));
        assertEquals(List.of(PROBE, STABLE), StoreLookup.toRemove(ALL, "abcdef1"));
        assertEquals(List.of(PROBE, STABLE), StoreLookup.toRemove(ALL, "my_probe:v1@" + P));
        assertEquals(List.of(UNNAMED), StoreLookup.toRemove(ALL, R));
        assertEquals(List.of(), StoreLookup.toRemove(ALL, "nope:1"));
        assertEquals(ErrorKind.USAGE, assertThrows(BeeException.class, () -> StoreLookup.toRemove(ALL, "abcdef")).kind());
    }
}
