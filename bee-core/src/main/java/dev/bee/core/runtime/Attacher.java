package dev.bee.core.runtime;

import dev.bee.core.libbpf.ProgramHandle;
import dev.bee.core.object.ProgramSpec;

/** Attaches programs of one attach kind; errors say why it failed and what to do. */
interface Attacher {
    Attachment attach(ProgramSpec spec, ProgramHandle program, RunOptions options);
}
