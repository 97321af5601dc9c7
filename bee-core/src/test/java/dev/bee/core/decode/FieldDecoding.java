package dev.bee.core.decode;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A value as named fields by {@link ValueDecoder}'s general path ({@link ValueDecoder#decode(int, byte[], int)}, one
 * member at a time): a struct's members by their dotted names, any other type as one field named {@code name}.
 * The reference that compiled layouts, with their fast paths, are held against.
 */
final class FieldDecoding {
    private FieldDecoding() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> fields(ValueDecoder decoder, int typeId, String name, byte[] data, int offset) {
        Object v = decoder.decode(typeId, data, offset);
        if (v instanceof Map<?, ?> struct) {
            return (Map<String, Object>) struct;
        }
        Map<String, Object> one = new LinkedHashMap<>();
        one.put(name, v);
        return one;
    }
}
