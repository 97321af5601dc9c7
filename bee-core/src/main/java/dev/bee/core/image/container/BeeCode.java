package dev.bee.core.image.container;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * bee's own code as files of a container image, and the java arguments that start it there. The
 * shaded {@code bee.jar} (how bee is installed) becomes {@code /opt/bee/bee.jar}, started with
 * {@code -jar}; a class path of jars and class folders (bee run from a build tree) becomes
 * {@code /opt/bee/lib/*.jar} and {@code /opt/bee/classes/N/}, started with {@code -cp} and the main
 * class, in the class path's order.
 *
 * @param files  what to copy, in class path order
 * @param launch the java arguments before bee's own ({@code -jar /opt/bee/bee.jar}, or {@code -cp ... MAIN})
 */
public record BeeCode(List<FileCopy> files, List<String> launch) {
    /** Layer of third-party jars, which change less often than bee's own code. */
    public static final String DEPENDENCIES_LAYER = "bee-dependencies";
    /** Layer of bee's own code. */
    public static final String BEE_LAYER = "bee";

    /**
     * One file or folder to copy.
     *
     * @param source a jar file or a class folder on this machine
     * @param target its absolute path in the image
     * @param layer  {@link #BEE_LAYER} or {@link #DEPENDENCIES_LAYER}
     */
    public record FileCopy(Path source, String target, String layer) {
    }

    public BeeCode {
        files = List.copyOf(files);
        launch = List.copyOf(launch);
    }

    /** The code of the running bee: this JVM's class path, started at {@code mainClass}. */
    public static BeeCode ofThisJvm(String mainClass) {
        return fromClassPath(System.getProperty("java.class.path", ""), mainClass);
    }

    /** The code on {@code classPath} (entries separated by the platform's path separator). */
    public static BeeCode fromClassPath(String classPath, String mainClass) {
        List<Path> entries = new ArrayList<>();
        for (String e : classPath.split(File.pathSeparator)) {
            if (!e.isBlank() && Files.exists(Path.of(e))) {
                entries.add(Path.of(e).toAbsolutePath().normalize());
            }
        }
        if (entries.isEmpty()) {
            throw new BeeException(ErrorKind.INTERNAL, "cannot find bee's own jar: the class path is empty",
                    "run bee from bee.jar (the 'bee' launcher does)");
        }
        if (entries.size() == 1 && Files.isRegularFile(entries.get(0))) {
            String target = ContainerLayout.APP + "/bee.jar";
            return new BeeCode(List.of(new FileCopy(entries.get(0), target, BEE_LAYER)), List.of("-jar", target));
        }
        List<FileCopy> files = new ArrayList<>();
        List<String> targets = new ArrayList<>();
        Set<String> names = new HashSet<>();
        int folders = 0;
        for (Path p : entries) {
            String target;
            String layer;
            if (Files.isDirectory(p)) {
                target = ContainerLayout.APP + "/classes/" + folders++;
                layer = BEE_LAYER;
            } else {
                String name = p.getFileName().toString();
                String unique = name;
                for (int n = 2; !names.add(unique); n++) {
                    unique = n + "-" + name;
                }
                target = ContainerLayout.APP + "/lib/" + unique;
                layer = isOwnJar(name) ? BEE_LAYER : DEPENDENCIES_LAYER;
            }
            files.add(new FileCopy(p, target, layer));
            targets.add(target);
        }
        return new BeeCode(files, List.of("-cp", String.join(":", targets), mainClass));
    }

    private static boolean isOwnJar(String name) {
        return name.startsWith("bee-") || name.contains("-SNAPSHOT");
    }
}
