package dev.bee.core.attach;

import dev.bee.core.libbpf.LibbpfException;
import dev.bee.core.libbpf.LinkHandle;
import dev.bee.core.libbpf.ProgramHandle;
import dev.bee.core.libbpf.BpfCalls;
import dev.bee.core.libbpf.Fds;
import dev.bee.core.object.ProgramSpec;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.BiConsumer;

/** {@code iter/KIND}: attaches the iterator, runs it once, and hands its text output to a consumer
 * (program name, text). */
final class IterAttacher implements Attacher {
    private static final int LIMIT = 64 * 1024 * 1024;
    private final BiConsumer<String, String> output;

    IterAttacher(BiConsumer<String, String> output) {
        this.output = output;
    }

    @Override
    public Attachment attach(ProgramSpec spec, ProgramHandle program, AttachOptions options) {
        LinkHandle link;
        try {
            link = program.attachIter();
        } catch (LibbpfException e) {
            throw AttachErrors.failed(spec, "iterator " + spec.target(), e, null, null);
        }
        try {
            int fd = BpfCalls.iterCreate(link);
            try {
                output.accept(spec.name(), new String(Fds.readAll(fd, LIMIT), StandardCharsets.UTF_8));
            } finally {
                Fds.close(fd);
            }
        } catch (LibbpfException e) {
            link.close();
            throw AttachErrors.failed(spec, "iterator " + spec.target(), e, null, null);
        }
        return new LinkAttachment(spec.name() + " -> " + link.description(), List.of(link), null);
    }
}
