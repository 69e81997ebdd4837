package dev.mailkit.imap.internal.exec;

import dev.mailkit.imap.internal.command.ListCommand;
import dev.mailkit.imap.internal.encode.Responses;
import dev.mailkit.imap.internal.mailbox.ListPattern;
import dev.mailkit.imap.internal.session.CommandHandler;
import dev.mailkit.imap.internal.session.ImapSession;
import dev.mailkit.store.MailStoreException;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxInfo;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.SpecialUse;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * LIST and LSUB (RFC 3501 6.3.8/6.3.9) with LIST-EXTENDED (RFC 5258): selection options SUBSCRIBED, SPECIAL-USE
 * and RECURSIVEMATCH, return options SUBSCRIBED, CHILDREN, SPECIAL-USE and STATUS (RFC 5819). Children and
 * special-use attributes are always returned. Patterns match in linear time ({@link ListPattern}).
 */
final class ListHandler implements CommandHandler<ListCommand> {
    private static final char DELIMITER = MailboxName.DELIMITER;

    @Override
    public void handle(ListCommand c, ImapSession s) throws IOException {
        if (!c.lsub() && c.patterns().size() == 1 && c.patterns().get(0).isEmpty()) {
            // the hierarchy delimiter query
            Responses.list(s.out(), false, List.of("\\Noselect"), DELIMITER, "", List.of());
            s.complete(c, null, "List completed");
            return;
        }
        List<ListPattern> patterns = new ArrayList<>(c.patterns().size());
        for (String p : c.patterns()) {
            patterns.add(ListPattern.compile(c.reference(), p, DELIMITER));
        }
        boolean selSubscribed = c.selection().contains(ListCommand.Selection.SUBSCRIBED);
        boolean selSpecialUse = c.selection().contains(ListCommand.Selection.SPECIAL_USE);
        boolean recursive = c.selection().contains(ListCommand.Selection.RECURSIVEMATCH);
        boolean showSubscribed = selSubscribed || c.returns().contains(ListCommand.Return.SUBSCRIBED);
        Set<String> subscribed = new HashSet<>();
        if (c.lsub() || showSubscribed) {
            for (MailboxName n : s.account().subscriptions()) {
                subscribed.add(n.toString());
            }
        }
        Map<String, MailboxInfo> all = new LinkedHashMap<>();
        for (MailboxInfo i : s.account().list()) {
            all.put(i.name().toString(), i);
        }
        if (c.lsub()) {
            // RFC 3501 6.3.9: a parent the pattern matches, of a subscribed mailbox it does not, is listed
            // \Noselect unless it is subscribed itself (LSUB "" % with only "a.b" subscribed lists "a")
            Map<String, Boolean> lsub = new java.util.TreeMap<>();
            for (String name : subscribed) {
                if (matches(patterns, name)) {
                    MailboxInfo i = all.get(name);
                    lsub.put(name, i != null && i.selectable());
                    continue;
                }
                for (int d = name.indexOf(DELIMITER); d > 0; d = name.indexOf(DELIMITER, d + 1)) {
                    String parent = name.substring(0, d);
                    if (!subscribed.contains(parent) && matches(patterns, parent)) {
                        lsub.putIfAbsent(parent, false);
                    }
                }
            }
            for (Map.Entry<String, Boolean> e : lsub.entrySet()) {
                Responses.list(s.out(), true, e.getValue() ? List.of() : List.of("\\Noselect"), DELIMITER,
                        e.getKey(), List.of());
            }
            s.complete(c, null, "Lsub completed");
            return;
        }
        List<String> names = new ArrayList<>();
        if (selSubscribed) {
            Set<String> candidates = new TreeSet<>(subscribed);
            if (recursive) {
                candidates.addAll(all.keySet());
            }
            for (String n : candidates) {
                if (n.equals("INBOX")) {
                    names.add(0, n);
                } else {
                    names.add(n);
                }
            }
        } else {
            names.addAll(all.keySet());
        }
        for (String name : names) {
            MailboxInfo info = all.get(name);
            if (!matches(patterns, name)) {
                continue;
            }
            boolean isSubscribed = subscribed.contains(name);
            List<String> childInfo = List.of();
            // RFC 5258 3.5: CHILDINFO only for a subscribed descendant that does not match a pattern itself
            if (selSubscribed && !isSubscribed) {
                if (!recursive || !hasUnmatchedSubscribedChild(name, subscribed, patterns)) {
                    continue;
                }
                childInfo = List.of("SUBSCRIBED");
            } else if (selSubscribed && recursive && hasUnmatchedSubscribedChild(name, subscribed, patterns)) {
                childInfo = List.of("SUBSCRIBED");
            }
            if (selSpecialUse && (info == null || info.specialUse().isEmpty())) {
                continue;
            }
            List<String> attrs = new ArrayList<>(4);
            if (c.extended()) {
                // as Dovecot: \Subscribed first, a missing parent \NonExistent, children only when asked for
                if (showSubscribed && isSubscribed) {
                    attrs.add("\\Subscribed");
                }
                if (info == null || !info.selectable()) {
                    attrs.add("\\NonExistent"); // mailkit's only unselectable mailboxes are missing parents
                }
                if (info != null && c.returns().contains(ListCommand.Return.CHILDREN)) {
                    attrs.add(info.hasChildren() ? "\\HasChildren" : "\\HasNoChildren");
                }
                if (info != null) {
                    uses(attrs, info.specialUse());
                }
            } else if (info == null) {
                attrs.add("\\NonExistent");
            } else {
                if (!info.selectable()) {
                    attrs.add(s.rev2() ? "\\NonExistent" : "\\Noselect"); // RFC 9051 7.3.1: implies \Noselect
                }
                attrs.add(info.hasChildren() ? "\\HasChildren" : "\\HasNoChildren");
                uses(attrs, info.specialUse());
            }
            Responses.list(s.out(), false, attrs, DELIMITER, name, childInfo);
            if (c.returns().contains(ListCommand.Return.STATUS) && info != null && info.selectable()) {
                try (Mailbox m = s.account().open(info.name())) {
                    StatusHandler.write(s, name, c.statusItems(), m.status());
                } catch (MailStoreException e) {
                    // deleted meanwhile: no STATUS for it
                }
            }
        }
        s.complete(c, null, "List completed");
    }

    private static boolean matches(List<ListPattern> patterns, String name) {
        for (ListPattern p : patterns) {
            if (p.matches(name)) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasUnmatchedSubscribedChild(String name, Set<String> subscribed,
                                                       List<ListPattern> patterns) {
        String prefix = name + DELIMITER;
        for (String sub : subscribed) {
            if (sub.startsWith(prefix) && !matches(patterns, sub)) {
                return true;
            }
        }
        return false;
    }

    /** The special-use attributes of a mailbox, in RFC 6154's order. */
    static List<String> specialUse(Set<SpecialUse> uses) {
        List<String> attrs = new ArrayList<>(uses.size());
        uses(attrs, uses);
        return attrs;
    }

    /** The special-use attributes in one order (RFC 6154's), whatever order the store's set has. */
    private static void uses(List<String> attrs, java.util.Set<SpecialUse> uses) {
        for (SpecialUse u : SpecialUse.values()) {
            if (uses.contains(u)) {
                attrs.add(u.attribute());
            }
        }
    }
}
