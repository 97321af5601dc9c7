package dev.bee.core.libbpf;

import dev.bee.core.ErrorKind;
import dev.bee.core.testing.Requirements;
import dev.bee.core.testing.TestPrograms;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The object handle's lifetime on the real libbpf and kernel: open, the programs and maps it shows, load,
 * map reads and writes through the kernel, close (idempotent, and nothing usable after it), and its error
 * paths: bytes that are no object, and a program the verifier rejects, with its log.
 */
class ObjectHandleIT {
    @BeforeAll
    static void requirements() {
        Requirements.requireRoot();
    }

    @Test
    void openLoadUseAndCloseOnce() throws Exception {
        byte[] elf = Files.readAllBytes(TestPrograms.object("attach_all"));
        ObjectHandle h = ObjectHandle.open("handles_it", elf);
        try {
            assertEquals(List.of("ak_tp", "ak_raw_tp", "ak_tp_btf", "ak_uprobe", "ak_xdp", "ak_tc", "ak_socket", "ak_perf",
                    "ak_cgroup_skb", "ak_iter"), h.programs().stream().map(ProgramHandle::name).toList());
            MapHandle hits = h.maps().stream().filter(m -> m.name().equals("counter_hits")).findFirst().orElseThrow();
            assertEquals(4, hits.keySize());
            assertEquals(8, hits.valueSize());
            assertEquals(10, hits.maxEntries());
            h.load();
            assertTrue(h.programs().stream().allMatch(p -> p.fd() > 0), "every program has an fd once loaded");
            byte[] key = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(3).array();
            assertArrayEquals(new byte[8], hits.lookup(key, 4, 8), "an array map starts zeroed");
            assertTrue(h.programs().get(0).verifiedInstructions() > 0, "bpf_prog_info's verified_insns (ProgInfo)");
        } finally {
            h.close();
        }
        assertTrue(h.isClosed());
        h.close(); // idempotent
        assertThrows(IllegalStateException.class, h::programs);
    }

    @Test
    void bytesThatAreNoObjectAreAnInputError() {
        LibbpfException e = assertThrows(LibbpfException.class,
                () -> ObjectHandle.open("garbage", "not an ELF object".getBytes(StandardCharsets.UTF_8)));
        assertEquals(ErrorKind.INPUT, e.kind());
    }

    @Test
    void aRejectedProgramCarriesItsNameAndTheVerifiersLog() throws Exception {
        Path obj = TestPrograms.object("verifier_reject_core");
        ObjectHandle h = ObjectHandle.open("reject_it", Files.readAllBytes(obj));
        try {
            ObjectHandle.LoadFailure f = assertThrows(ObjectHandle.LoadFailure.class, h::load);
            assertEquals("bad_read", f.program());
            assertFalse(f.verifierLog().isEmpty(), "the verifier says why");
            assertTrue(f.verifierLog().contains("invalid") || f.verifierLog().contains("R1"), f.verifierLog());
        } finally {
            h.close();
        }
    }
}
