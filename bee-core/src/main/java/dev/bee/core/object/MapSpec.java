package dev.bee.core.object;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * One map of an object as declared (before libbpf or the kernel see it): its type and sizes, the BTF
 * types of key and value when declared (ids into the object's BTF, 0 when absent, with their C
 * spellings for people), pinning, and the output convention that decides what bee shows.
 */
public record MapSpec(String name, String section, MapType type, long keySize, long valueSize, long maxEntries,
                      long flags, boolean pinned, OutputKind output, String keyType, String valueType,
                      @JsonIgnore int keyTypeId, @JsonIgnore int valueTypeId) {
}
