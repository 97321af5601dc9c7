package dev.bee.core.object;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * A global variable in a data section ({@code .rodata}, {@code .data}, {@code .bss}): name, C type,
 * where it lives, and the value it starts with. {@code constant} marks {@code const volatile}
 * globals, the ones a user sets before load to configure a program.
 */
public record GlobalVar(String name, String section, String type, long offset, long size, boolean constant,
                        Object defaultValue, @JsonIgnore int typeId) {
}
