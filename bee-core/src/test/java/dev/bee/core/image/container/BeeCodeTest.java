package dev.bee.core.image.container;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BeeCodeTest {
    @TempDir
    Path tmp;

    @Test
    void theShadedJarRunsWithDashJar() throws Exception {
        Path jar = Files.writeString(tmp.resolve("bee.jar"), "jar");
        BeeCode code = BeeCode.fromClassPath(jar.toString(), "dev.bee.cli.Main");
        assertEquals(List.of("-jar", "/opt/bee/bee.jar"), code.launch());
        assertEquals(List.of(new BeeCode.FileCopy(jar, "/opt/bee/bee.jar", BeeCode.BEE_LAYER)), code.files());
    }

    @Test
    void aClassPathKeepsItsOrderWithUniqueJarNamesAndOneFolderEach() throws Exception {
        Path classes = Files.createDirectories(tmp.resolve("bee-cli/target/classes"));
        Path core = Files.writeString(tmp.resolve("bee-core-0.1.0-SNAPSHOT.jar"), "x");
        Path picocli = Files.writeString(tmp.resolve("picocli-4.7.7.jar"), "x");
        Path otherPicocli = Files.writeString(Files.createDirectories(tmp.resolve("other")).resolve("picocli-4.7.7.jar"), "x");
        Path testClasses = Files.createDirectories(tmp.resolve("bee-cli/target/test-classes"));
        String cp = String.join(File.pathSeparator, classes.toString(), core.toString(), picocli.toString(),
                tmp.resolve("missing.jar").toString(), otherPicocli.toString(), testClasses.toString());
        BeeCode code = BeeCode.fromClassPath(cp, "dev.bee.cli.Main");
        assertEquals(List.of(
                new BeeCode.FileCopy(classes, "/opt/bee/classes/0", BeeCode.BEE_LAYER),
                new BeeCode.FileCopy(core, "/opt/bee/lib/bee-core-0.1.0-SNAPSHOT.jar", BeeCode.BEE_LAYER),
                new BeeCode.FileCopy(picocli, "/opt/bee/lib/picocli-4.7.7.jar", BeeCode.DEPENDENCIES_LAYER),
                new BeeCode.FileCopy(otherPicocli, "/opt/bee/lib/2-picocli-4.7.7.jar", BeeCode.DEPENDENCIES_LAYER),
                new BeeCode.FileCopy(testClasses, "/opt/bee/classes/1", BeeCode.BEE_LAYER)), code.files());
        assertEquals(List.of("-cp", "/opt/bee/classes/0:/opt/bee/lib/bee-core-0.1.0-SNAPSHOT.jar:"
                + "/opt/bee/lib/picocli-4.7.7.jar:/opt/bee/lib/2-picocli-4.7.7.jar:/opt/bee/classes/1",
                "dev.bee.cli.Main"), code.launch());
    }
}
