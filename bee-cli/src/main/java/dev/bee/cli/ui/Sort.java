package dev.bee.cli.ui;

import dev.bee.core.decode.DurationValue;
import dev.bee.core.sink.MapRecord;
import dev.bee.core.sink.TextLinesSink;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Comparator;
import java.util.List;

/**
 * The order of a table's rows: one column, ascending or descending. Numbers compare as numbers (a
 * counter of 10 sorts after 9), durations by length, anything else by its text; rows without the
 * column go last either way.
 */
record Sort(String column, boolean descending) {

    /** The next column to sort by ({@code s}): the first one at first, then each in turn, ascending. */
    static Sort next(Sort current, List<String> columns) {
        if (columns.isEmpty()) {
            return current;
        }
        int i = current == null ? -1 : columns.indexOf(current.column());
        return new Sort(columns.get((i + 1) % columns.size()), false);
    }

    /** The same column the other way round ({@code S}); with no order yet, the first column descending. */
    static Sort reversed(Sort current, List<String> columns) {
        if (current == null) {
            return columns.isEmpty() ? null : new Sort(columns.get(0), true);
        }
        return new Sort(current.column(), !current.descending());
    }

    Comparator<MapRecord> comparator() {
        return (a, b) -> {
            Object x = a.field(column);
            Object y = b.field(column);
            if (x == null || y == null) {
                return x == null ? (y == null ? 0 : 1) : -1;
            }
            int c = compareValues(x, y);
            return descending ? -c : c;
        };
    }

    static int compareValues(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            if (x instanceof Double || x instanceof Float || y instanceof Double || y instanceof Float) {
                return Double.compare(x.doubleValue(), y.doubleValue());
            }
            return integer(x).compareTo(integer(y));
        }
        if (a instanceof DurationValue x && b instanceof DurationValue y) {
            return Long.compare(x.nanos(), y.nanos());
        }
        if (a instanceof Boolean x && b instanceof Boolean y) {
            return Boolean.compare(x, y);
        }
        return TextLinesSink.text(a).compareTo(TextLinesSink.text(b));
    }

    private static BigInteger integer(Number n) {
        if (n instanceof BigInteger b) {
            return b;
        }
        if (n instanceof BigDecimal d) {
            return d.toBigInteger();
        }
        return BigInteger.valueOf(n.longValue());
    }

    @Override
    public String toString() {
        return column + (descending ? " desc" : " asc");
    }
}
