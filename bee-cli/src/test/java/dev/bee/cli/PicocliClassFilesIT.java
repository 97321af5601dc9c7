package dev.bee.cli;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * picocli's classes in bee.jar are Java 8 class files (rewritten by src/build/ModernClassFiles.java), which
 * class data sharing can archive, and every one of them passes the JVM's verifier.
 */
class PicocliClassFilesIT {
    private static final Path JAR = Path.of("target", "bee.jar");

    @Test
    void everyPicocliClassIsAJava8ClassFile() throws Exception {
        assertTrue(Files.isRegularFile(JAR), "run after mvn package");
        List<String> old = new ArrayList<>();
        int count = 0;
        try (InputStream f = Files.newInputStream(JAR); ZipInputStream in = new ZipInputStream(f)) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                if (e.getName().startsWith("picocli/") && e.getName().endsWith(".class")) {
                    byte[] b = in.readAllBytes();
                    int major = ((b[6] & 0xff) << 8) | (b[7] & 0xff);
                    count++;
                    if (major < 52) {
                        old.add(e.getName() + " " + major);
                    }
                }
            }
        }
        assertTrue(count > 100, "picocli is in the jar: " + count);
        assertEquals(List.of(), old);
    }

    @Test
    void everyPicocliClassPassesTheVerifier() throws Exception {
        String cp = JAR.toAbsolutePath() + File.pathSeparator + Path.of("target", "test-classes").toAbsolutePath();
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:off", "-cp", cp, LinkClasses.class.getName(), JAR.toAbsolutePath().toString(), "picocli/")
                .redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.contains(" linked, 0 failed"), out);
    }
}
