package dev.bee.cli;

import java.io.FileInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Links (and so verifies) every class of a jar under a prefix: {@code LinkClasses JAR PREFIX}, on a class
 * path holding the jar; exits 1 when one fails. Asking a class for its methods makes the JVM link it.
 */
public final class LinkClasses {
    private LinkClasses() {
    }

    public static void main(String[] args) throws Exception {
        int linked = 0;
        int failed = 0;
        try (ZipInputStream in = new ZipInputStream(new FileInputStream(args[0]))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                String name = e.getName();
                if (!name.startsWith(args[1]) || !name.endsWith(".class")) {
                    continue;
                }
                try {
                    Class.forName(name.substring(0, name.length() - 6).replace('/', '.'), false,
                            LinkClasses.class.getClassLoader()).getDeclaredMethods();
                    linked++;
                } catch (Throwable t) {
                    failed++;
                    System.out.println(name + ": " + t);
                }
            }
        }
        System.out.println(linked + " linked, " + failed + " failed");
        System.exit(failed == 0 ? 0 : 1);
    }
}
