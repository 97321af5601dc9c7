package dev.bee.cli;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shaded bee.jar as it is installed and packaged into images: small (it is a layer of every image
 * bee package builds), readable by the users the umask lets read new files, and every class the shade
 * plugin's minimizeJar kept links (a class it dropped but a kept one needs fails here).
 */
class BeeJarIT {
    private static final Path JAR = Path.of("target", "bee.jar");
    /** Issue 18's goal; scripts/bench-jar.sh prints the figure and docs/performance.md records it. */
    private static final long MAX_BYTES = 15_000_000;
    /**
     * Optional dependencies of libraries in the jar that bee never ships nor loads: jline's JNA and Jansi
     * terminals, commons-logging's other back-ends, commons-compress' brotli/xz/zstd codecs, Jib's Google
     * application-default credentials (bee resolves credentials itself).
     */
    private static final List<String> OPTIONAL = List.of("com/sun/jna/", "org/fusesource/jansi/",
            "org/apache/avalon/", "org/apache/log4j/", "org/apache/log/", "javax/servlet/", "org/brotli/",
            "org/tukaani/", "com/github/luben/zstd/", "com/google/auth/");

    @Test
    void isAtMostFifteenMegabytesAndHoldsNoUnusedLibraries() throws Exception {
        long size = Files.size(JAR);
        assertTrue(size <= MAX_BYTES, "bee.jar is " + size + " bytes");
        List<String> unwanted = new ArrayList<>();
        try (ZipFile z = new ZipFile(JAR.toFile())) {
            z.stream().map(e -> e.getName())
                    .filter(n -> n.startsWith("land/oras/") || n.startsWith("org/bouncycastle/")
                            || n.startsWith("io/micrometer/") || n.startsWith("com/github/benmanes/")
                            || n.startsWith("org/jline/builtins/") || n.startsWith("jni/x86_64-Windows/"))
                    .limit(5).forEach(unwanted::add);
        }
        assertEquals(List.of(), unwanted);
    }

    @Test
    void isReadableAsTheUmaskAllows() throws Exception {
        // A new file here gets the umask's mode; bee.jar must not be narrower (it was built 0600).
        Path probe = Files.createTempFile(Path.of("target"), "mode", ".probe");
        Files.delete(probe);
        Files.createFile(probe);
        try {
            Set<PosixFilePermission> expected = Files.getPosixFilePermissions(probe);
            assertEquals(expected, Files.getPosixFilePermissions(JAR));
            assertTrue(expected.contains(PosixFilePermission.OTHERS_READ) || !expected.contains(PosixFilePermission.GROUP_READ),
                    "with the usual umask 022 anyone can read bee.jar: " + expected);
        } finally {
            Files.delete(probe);
        }
    }

    @Test
    void everyClassItKeepsLinks() throws Exception {
        String cp = JAR.toAbsolutePath() + File.pathSeparator + Path.of("target", "test-classes").toAbsolutePath();
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:off", "-cp", cp, LinkClasses.class.getName(), JAR.toAbsolutePath().toString(), "")
                .redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        List<String> failures = new ArrayList<>();
        for (String line : out.lines().toList()) {
            if (line.endsWith(" failed") || line.startsWith("META-INF/versions/")
                    || line.contains("UnsupportedClassVersionError")) {
                continue; // the summary; multi-release variants and classes for newer JDKs than this one
            }
            int missing = line.indexOf("NoClassDefFoundError: ");
            if (missing >= 0 && OPTIONAL.stream().anyMatch(line.substring(missing + 22)::startsWith)) {
                continue;
            }
            failures.add(line);
        }
        assertEquals(List.of(), failures, out.lines().reduce("", (a, b) -> b.endsWith(" failed") ? b : a));
        assertTrue(out.contains(" linked, "), out);
    }
}
