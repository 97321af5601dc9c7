package dev.bee.core.object;

/**
 * What a program's ELF section name says about it, as libbpf 1.x reads it: the program type, how it
 * attaches, the attach target written after the prefix (for example {@code syscalls/sys_enter_openat}
 * for {@code tracepoint/syscalls/sys_enter_openat}), the kernel attach type for programs that have one,
 * and whether it is sleepable.
 */
public record ProgramSection(String section, ProgramType type, AttachKind attachKind, String target,
                             String expectedAttachType, boolean sleepable) {
}
