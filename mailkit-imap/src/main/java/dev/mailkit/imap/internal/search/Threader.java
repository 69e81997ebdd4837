package dev.mailkit.imap.internal.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * THREAD's algorithms (RFC 5256 section 3) over messages given in sequence order, as Dovecot threads them:
 * ORDEREDSUBJECT (groups by base subject), REFERENCES (parent links from References/In-Reply-To, dummies for missing
 * parents, then threads of the same base subject merged) and Dovecot's REFS (REFERENCES without the subject merge,
 * threads ordered by their newest message). Siblings are ordered by sent date, ties by sequence number. The result
 * is written by {@link #write}. Not thread-safe; one per command.
 */
public final class Threader {
    /** One message as threading sees it. */
    public record Message(long number, String messageId, List<String> references, String baseSubject,
                          boolean replyOrForward, long date) {
    }

    /** A node of the thread tree: a message, or a dummy (message null) standing for a missing parent. */
    public static final class Node {
        Message message;
        int index = Integer.MAX_VALUE;
        Node parent;
        final List<Node> children = new ArrayList<>(1);

        boolean dummy() {
            return message == null;
        }

        /** The sent date it sorts by: its own, or a dummy's first child's. */
        long date() {
            return message != null ? message.date() : children.isEmpty() ? Long.MIN_VALUE : children.get(0).date();
        }

        int order() {
            return message != null ? index : children.isEmpty() ? Integer.MAX_VALUE : children.get(0).order();
        }
    }

    private static final Comparator<Node> BY_DATE = Comparator.comparingLong(Node::date)
            .thenComparingInt(Node::order);

    private Threader() {
    }

    /** ORDEREDSUBJECT: the messages sorted by (base subject, date); each subject's first is the parent of the rest. */
    public static List<Node> orderedSubject(List<Message> messages) {
        List<Node> nodes = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            nodes.add(node(messages.get(i), i));
        }
        nodes.sort(Comparator.comparing((Node n) -> SortKeys.fold(n.message.baseSubject())).thenComparing(BY_DATE));
        List<Node> roots = new ArrayList<>();
        Node root = null;
        String subject = null;
        for (Node n : nodes) {
            String s = SortKeys.fold(n.message.baseSubject());
            if (root != null && s.equals(subject)) {
                n.parent = root;
                root.children.add(n);
            } else {
                root = n;
                subject = s;
                roots.add(n);
            }
        }
        roots.sort(BY_DATE);
        return roots;
    }

    /** REFERENCES (with {@code mergeSubjects}) or REFS (without, and threads ordered by their newest message). */
    public static List<Node> references(List<Message> messages, boolean mergeSubjects) {
        Map<String, Node> byId = new HashMap<>();
        List<Node> all = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            Message m = messages.get(i);
            Node own = m.messageId() == null ? null : byId.get(m.messageId());
            if (own == null || !own.dummy()) {
                own = new Node(); // no Message-ID, or a duplicate one: a node of its own
                if (m.messageId() != null && !byId.containsKey(m.messageId())) {
                    byId.put(m.messageId(), own);
                }
                all.add(own);
            }
            own.message = m;
            own.index = i;
            // (A) link the references in order
            Node previous = null;
            for (String ref : m.references()) {
                Node r = byId.get(ref);
                if (r == null) {
                    r = new Node();
                    byId.put(ref, r);
                    all.add(r);
                }
                if (previous != null && r.parent == null && r != previous
                        && (r.children.isEmpty() || !isAncestor(r, previous))) {
                    link(previous, r);
                }
                previous = r;
            }
            // (B) the message's parent is its last reference
            if (previous != null && previous != own && (own.children.isEmpty() || !isAncestor(own, previous))) {
                if (own.parent != null) {
                    own.parent.children.remove(own);
                }
                link(previous, own);
            }
        }
        // (2) the root set, in creation order; (3) dummies pruned
        List<Node> roots = new ArrayList<>();
        for (Node n : all) {
            if (n.parent == null) {
                roots.add(n);
            }
        }
        roots = prune(roots, true);
        // (4) top level by date (a dummy by its first child after its children are sorted)
        for (Node r : roots) {
            sortTree(r);
        }
        roots.sort(BY_DATE);
        if (mergeSubjects) {
            roots = merge(roots);
            for (Node r : roots) {
                sortTree(r);
            }
            roots.sort(BY_DATE);
        } else {
            roots.sort(Comparator.comparingLong(Threader::newest).thenComparingInt(Node::order));
        }
        return roots;
    }

    private static Node node(Message m, int index) {
        Node n = new Node();
        n.message = m;
        n.index = index;
        return n;
    }

    private static void link(Node parent, Node child) {
        child.parent = parent;
        parent.children.add(child);
    }

    /** Whether {@code a} is {@code b} or one of its ancestors. */
    private static boolean isAncestor(Node a, Node b) {
        for (Node n = b; n != null; n = n.parent) {
            if (n == a) {
                return true;
            }
        }
        return false;
    }

    /**
     * RFC 5256 (3): dummies without children go; others give their children to their parent's level (at the top
     * only when there is one). Children first, iteratively: threads may be deep.
     */
    private static List<Node> prune(List<Node> roots, boolean top) {
        List<Node> order = new ArrayList<>();
        List<Node> stack = new ArrayList<>(roots);
        while (!stack.isEmpty()) {
            Node n = stack.remove(stack.size() - 1);
            order.add(n);
            stack.addAll(n.children);
        }
        for (int i = order.size() - 1; i >= 0; i--) {
            Node n = order.get(i);
            if (n.parent == null || n.children.stream().noneMatch(Node::dummy)) {
                continue;
            }
            List<Node> kept = new ArrayList<>(n.children.size());
            for (Node k : n.children) {
                if (k.dummy()) {
                    for (Node g : k.children) {
                        g.parent = n;
                        kept.add(g);
                    }
                } else {
                    kept.add(k);
                }
            }
            n.children.clear();
            n.children.addAll(kept);
        }
        // children of top-level messages were handled above; now top-level dummies and their dummy children
        List<Node> out = new ArrayList<>(roots.size());
        for (Node n : roots) {
            if (n.children.stream().anyMatch(Node::dummy)) {
                List<Node> kept = new ArrayList<>();
                for (Node k : n.children) {
                    if (k.dummy()) {
                        for (Node g : k.children) {
                            g.parent = n;
                            kept.add(g);
                        }
                    } else {
                        kept.add(k);
                    }
                }
                n.children.clear();
                n.children.addAll(kept);
            }
            if (!n.dummy()) {
                out.add(n);
            } else if (n.children.size() == 1) {
                n.children.get(0).parent = null;
                out.add(n.children.get(0));
            } else if (!n.children.isEmpty() || !top) {
                if (!n.children.isEmpty()) {
                    out.add(n);
                }
            }
        }
        return out;
    }

    /** Sorts every level of siblings by date, the deepest first (iteratively: threads may be deep). */
    private static void sortTree(Node root) {
        List<Node> order = new ArrayList<>();
        List<Node> stack = new ArrayList<>();
        stack.add(root);
        while (!stack.isEmpty()) {
            Node n = stack.remove(stack.size() - 1);
            order.add(n);
            stack.addAll(n.children);
        }
        for (int i = order.size() - 1; i >= 0; i--) {
            if (order.get(i).children.size() > 1) {
                order.get(i).children.sort(BY_DATE);
            }
        }
    }

    private static long newest(Node root) {
        long max = Long.MIN_VALUE;
        List<Node> stack = new ArrayList<>();
        stack.add(root);
        while (!stack.isEmpty()) {
            Node n = stack.remove(stack.size() - 1);
            if (n.message != null) {
                max = Math.max(max, n.message.date());
            }
            stack.addAll(n.children);
        }
        return max;
    }

    /** RFC 5256 (5): threads whose base subjects are the same are gathered. */
    private static List<Node> merge(List<Node> roots) {
        Map<String, Node> table = new HashMap<>();
        for (Node r : roots) {
            String s = subject(r);
            if (s.isEmpty()) {
                continue;
            }
            Node t = table.get(s);
            if (t == null || !t.dummy() && (r.dummy() || reply(t) && !reply(r))) {
                table.put(s, r);
            }
        }
        List<Node> out = new ArrayList<>(roots);
        for (Node r : roots) {
            String s = subject(r);
            if (s.isEmpty()) {
                continue;
            }
            Node t = table.get(s);
            if (t == r) {
                continue;
            }
            if (t.dummy() && r.dummy()) {
                for (Node k : r.children) {
                    k.parent = t;
                    t.children.add(k);
                }
                out.remove(r);
            } else if (t.dummy() || reply(r) && !reply(t)) {
                link(t, r);
                out.remove(r);
            } else {
                Node d = new Node();
                out.set(out.indexOf(t), d);
                out.remove(r);
                link(d, t);
                link(d, r);
                table.put(s, d);
            }
        }
        return out;
    }

    private static String subject(Node n) {
        Node m = n.dummy() && !n.children.isEmpty() ? n.children.get(0) : n;
        return m.message == null ? "" : SortKeys.fold(m.message.baseSubject());
    }

    private static boolean reply(Node n) {
        return n.message != null && n.message.replyOrForward();
    }

    /** The THREAD response's data: "(1 2 (3)(4 5))(6)". Iterative: chains and nesting may be deep. */
    public static void write(List<Node> roots, StringBuilder out) {
        for (Node r : roots) {
            out.append('(');
            members(r, out);
            out.append(')');
        }
    }

    private record Pending(Node node, boolean open, int close) {
    }

    private static void members(Node start, StringBuilder out) {
        // each pending node: whether its "(" is still to be written, and how many ")" are owed after its subtree
        List<Pending> stack = new ArrayList<>();
        stack.add(new Pending(start, false, 0));
        while (!stack.isEmpty()) {
            Pending p = stack.remove(stack.size() - 1);
            if (p.open()) {
                out.append('(');
            }
            Node n = p.node();
            boolean first = true;
            while (n.message != null) {
                if (!first) {
                    out.append(' ');
                }
                out.append(n.message.number());
                first = false;
                if (n.children.size() != 1) {
                    break;
                }
                n = n.children.get(0);
            }
            if (n.children.isEmpty()) {
                out.append(")".repeat(p.close()));
                continue;
            }
            if (n.message != null) {
                out.append(' ');
            }
            int last = n.children.size() - 1;
            for (int i = last; i >= 0; i--) {
                stack.add(new Pending(n.children.get(i), true, i == last ? p.close() + 1 : 1));
            }
        }
    }
}
