package dev.mailkit.postgres.internal;

import java.sql.Array;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;

/** PostgreSQL {@code text[]} values (keywords) to and from Java lists. Stateless. */
final class SqlArrays {
    private SqlArrays() {
    }

    static Array textArray(Connection c, List<String> values) throws SQLException {
        return c.createArrayOf("text", values.toArray());
    }

    /** The strings of a {@code text[]} column; empty for SQL NULL. */
    static List<String> strings(Array a) throws SQLException {
        if (a == null) {
            return List.of();
        }
        Object[] values = (Object[]) a.getArray();
        if (values.length == 0) {
            return List.of();
        }
        return Arrays.asList(Arrays.copyOf(values, values.length, String[].class));
    }
}
