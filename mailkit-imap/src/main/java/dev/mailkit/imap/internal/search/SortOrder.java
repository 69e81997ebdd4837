package dev.mailkit.imap.internal.search;

import dev.mailkit.imap.internal.command.SortCriterion;
import dev.mailkit.imap.internal.message.MessageData;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * RFC 5256's order of messages: each message's keys ({@link SortKeys}) are read once, then the messages are ordered
 * by the criteria in turn, ties by their position in the list (sequence order); REVERSE reverses its criterion only,
 * as Dovecot. Stateless.
 */
public final class SortOrder {
    private SortOrder() {
    }

    /**
     * The indexes of {@code messages} in sort order.
     *
     * @throws IOException when a message's keys cannot be read (for a store message: expunged meanwhile)
     */
    public static int[] order(List<SortCriterion> criteria, List<? extends MessageData> messages) throws IOException {
        int n = messages.size();
        long[][] numbers = new long[criteria.size()][];
        String[][] strings = new String[criteria.size()][];
        for (int k = 0; k < criteria.size(); k++) {
            SortCriterion.Key key = criteria.get(k).key();
            if (SortKeys.numeric(key)) {
                numbers[k] = new long[n];
                for (int i = 0; i < n; i++) {
                    numbers[k][i] = SortKeys.number(key, messages.get(i));
                }
            } else {
                strings[k] = new String[n];
                for (int i = 0; i < n; i++) {
                    strings[k][i] = SortKeys.string(key, messages.get(i));
                }
            }
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> {
            for (int k = 0; k < criteria.size(); k++) {
                int r = numbers[k] != null ? Long.compare(numbers[k][a], numbers[k][b])
                        : strings[k][a].compareTo(strings[k][b]);
                if (r != 0) {
                    return criteria.get(k).reverse() ? -r : r;
                }
            }
            return Integer.compare(a, b); // sequence order
        });
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = order[i];
        }
        return out;
    }
}
