package dev.mailkit.postgres.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The text form of envelope parameters in the queue tables ({@code mail_parameters}, {@code parameters}):
 * {@code KEY=VALUE} pairs separated by tabs. Parameter values are xtext or keywords (RFC 3461), which never hold a
 * tab or a line end; any that did would become a space.
 */
final class QueueParameters {
    private QueueParameters() {
    }

    static String encode(Map<String, String> params) {
        if (params.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, String> e : params.entrySet()) {
            if (b.length() > 0) {
                b.append('\t');
            }
            b.append(clean(e.getKey())).append('=').append(clean(e.getValue()));
        }
        return b.toString();
    }

    static Map<String, String> decode(String text) {
        if (text == null || text.isEmpty()) {
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : text.split("\t")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(pair.substring(0, eq), pair.substring(eq + 1));
            } else if (!pair.isEmpty()) {
                out.put(pair, "");
            }
        }
        return out;
    }

    private static String clean(String s) {
        return s.replace('\t', ' ').replace('\r', ' ').replace('\n', ' ');
    }
}
