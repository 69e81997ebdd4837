package dev.mailkit.store.delivery;

import dev.mailkit.core.MailAddress;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds a loop among the aliases a {@link DeliveryAgent.Builder} was given (a depth-first walk of the alias graph),
 * so that {@code build()} can name it instead of the agent cutting it at every delivery. Aliases of an
 * {@link AliasResolver} are not known in advance; the agent cuts their loops as it resolves. Not thread-safe.
 */
final class AliasLoops {
    private final Map<String, List<MailAddress>> aliases;
    private final Map<String, String> names;

    /**
     * @param aliases targets by {@link MailAddress#lookupKey()}
     * @param names   the aliases as they were written, by lookup key (to name them in the error)
     */
    AliasLoops(Map<String, List<MailAddress>> aliases, Map<String, String> names) {
        this.aliases = aliases;
        this.names = names;
    }

    /**
     * Fails if the aliases form a loop.
     *
     * @throws IllegalStateException naming the aliases of a loop
     */
    void check() {
        Set<String> done = new HashSet<>();
        for (String start : aliases.keySet()) {
            Deque<String> path = new ArrayDeque<>();
            walk(start, path, new LinkedHashSet<>(), done);
        }
    }

    private void walk(String key, Deque<String> path, Set<String> onPath, Set<String> done) {
        if (onPath.contains(key)) {
            List<String> cycle = new ArrayList<>();
            boolean in = false;
            for (String p : path) {
                in |= p.equals(key);
                if (in) {
                    cycle.add(names.getOrDefault(p, p));
                }
            }
            cycle.add(names.getOrDefault(key, key));
            throw new IllegalStateException("alias loop: " + String.join(" -> ", cycle)
                    + "; remove one of these aliases");
        }
        if (done.contains(key) || !aliases.containsKey(key)) {
            return;
        }
        onPath.add(key);
        path.addLast(key);
        for (MailAddress t : aliases.get(key)) {
            walk(t.lookupKey(), path, onPath, done);
        }
        path.removeLast();
        onPath.remove(key);
        done.add(key);
    }
}
