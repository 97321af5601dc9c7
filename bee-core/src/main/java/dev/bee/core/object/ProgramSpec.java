package dev.bee.core.object;

/**
 * One program of an object: its function name, section, what the section says (type, attach kind,
 * target) and its size in instructions.
 */
public record ProgramSpec(String name, String section, ProgramType type, AttachKind attachKind, String target,
                          String expectedAttachType, boolean sleepable, int instructions) {
}
