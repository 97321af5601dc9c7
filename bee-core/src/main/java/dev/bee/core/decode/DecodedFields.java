package dev.bee.core.decode;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The fields of one decoded value in declaration order, as a read-only map backed by two arrays (the
 * names shared by every value a {@link ValueDecoder.Compiled} decodes). Cheap to build per event;
 * sinks iterate it by index with {@link #size()}, {@link #name(int)} and {@link #value(int)}.
 */
public final class DecodedFields extends AbstractMap<String, Object> {
    private final String[] names;
    private final Object[] values;

    DecodedFields(String[] names, Object[] values) {
        this.names = names;
        this.values = values;
    }

    @Override
    public int size() {
        return names.length;
    }

    public String name(int i) {
        return names[i];
    }

    public Object value(int i) {
        return values[i];
    }

    @Override
    public Object get(Object key) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(key)) {
                return values[i];
            }
        }
        return null;
    }

    @Override
    public boolean containsKey(Object key) {
        for (String n : names) {
            if (n.equals(key)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, Object>> iterator() {
                return new Iterator<>() {
                    private int i;

                    @Override
                    public boolean hasNext() {
                        return i < names.length;
                    }

                    @Override
                    public Entry<String, Object> next() {
                        if (i >= names.length) {
                            throw new NoSuchElementException();
                        }
                        int k = i++;
                        return new SimpleImmutableEntry<>(names[k], values[k]);
                    }
                };
            }

            @Override
            public int size() {
                return names.length;
            }
        };
    }
}
