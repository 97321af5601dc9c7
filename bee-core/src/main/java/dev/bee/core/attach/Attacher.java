package dev.bee.core.attach;

import dev.bee.core.libbpf.ProgramHandle;
import dev.bee.core.object.ProgramSpec;

/** Attaches programs of one attach kind; errors say why it failed and what to do. */
public interface Attacher {
    Attachment attach(ProgramSpec spec, ProgramHandle program, AttachOptions options);
}
