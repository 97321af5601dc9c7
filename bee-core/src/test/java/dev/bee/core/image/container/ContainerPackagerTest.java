package dev.bee.core.image.container;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import dev.bee.core.image.ImageRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The DaemonSet never goes where the image goes (one would overwrite the other). */
class ContainerPackagerTest {
    @TempDir
    Path tmp;

    private static ContainerPackager.Request request(ContainerImageBuilder.Target target, Path k8s) {
        return new ContainerPackager.Request("probes/x:v1", ImageRef.parse("base:1"), target, RunArguments.none(), null,
                Instant.EPOCH, k8s, null, null);
    }

    @Test
    void theDaemonSetCannotBeTheTarFileNorInsideTheOciFolder() throws Exception {
        ImageRef name = ImageRef.parse("probes/x-pod:v1");
        Path tar = tmp.resolve("x.tar");
        BeeException same = assertThrows(BeeException.class, () -> ContainerPackager.checkOutputs(
                request(new ContainerImageBuilder.Tar(tar, name), tmp.resolve("sub/../x.tar"))));
        assertEquals(ErrorKind.USAGE, same.kind());

        Files.writeString(tar, "old");
        Path link = Files.createSymbolicLink(tmp.resolve("link.yaml"), tar);
        assertThrows(BeeException.class, () -> ContainerPackager.checkOutputs(
                request(new ContainerImageBuilder.Tar(tar, name), link)), "the same file by another name");

        Path oci = tmp.resolve("layout");
        assertThrows(BeeException.class, () -> ContainerPackager.checkOutputs(
                request(new ContainerImageBuilder.OciLayout(oci, name), oci.resolve("ds.yaml"))));

        assertDoesNotThrow(() -> ContainerPackager.checkOutputs(
                request(new ContainerImageBuilder.Tar(tar, name), tmp.resolve("ds.yaml"))));
        assertDoesNotThrow(() -> ContainerPackager.checkOutputs(
                request(new ContainerImageBuilder.Registry(name), tar)));
    }
}
