package dev.mailkit.imap.internal.exec;

import dev.mailkit.imap.internal.command.NotifyCommand;
import dev.mailkit.imap.internal.command.NotifyCommand.Event;
import dev.mailkit.imap.internal.command.NotifyCommand.EventGroup;
import dev.mailkit.imap.internal.session.CommandHandler;
import dev.mailkit.imap.internal.session.ImapSession;
import dev.mailkit.imap.internal.session.NotifyWatch;
import dev.mailkit.store.MailAccount;
import dev.mailkit.store.MailStoreException;
import dev.mailkit.store.MailboxInfo;
import dev.mailkit.store.MailboxName;

import dev.mailkit.imap.internal.session.AccountNotify;

import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * NOTIFY (RFC 5465): NONE ends every notification; SET checks that every event is one this server reports for the
 * account's store ({@code NO [BADEVENT ...]} otherwise, with nothing changed: the account events need a store that
 * reports {@link MailAccount#changes()}, the metadata events one that keeps metadata too), turns the filters into the mailboxes they name now
 * (the first group that names a mailbox decides its events, RFC 5465 6) and replaces the session's watch. At most
 * {@value #MAX_WATCHED} mailboxes are watched: more is {@code NO [LIMIT]}, nothing changed.
 */
final class NotifyHandler implements CommandHandler<NotifyCommand> {
    /** The most mailboxes one session may watch. */
    static final int MAX_WATCHED = NotifyWatch.MAX_WATCHED;

    @Override
    public void handle(NotifyCommand c, ImapSession s) throws IOException {
        if (c.none()) {
            s.setNotify(null, false);
            s.complete(c, null, "NOTIFY completed");
            return;
        }
        NotifyWatch.Selected selected = NotifyWatch.Selected.NONE;
        Set<Event> supported = supported(s.account());
        for (EventGroup g : c.groups()) {
            for (Event e : g.events()) {
                if (!supported.contains(e)) {
                    s.out().tagged(c.tag(), "NO", NotifyCommand.badEventCode(supported),
                            "Event " + e + " is not supported");
                    return;
                }
            }
            if (!g.events().isEmpty() && g.filter() == NotifyCommand.Filter.SELECTED) {
                selected = NotifyWatch.Selected.IMMEDIATE;
            } else if (!g.events().isEmpty() && g.filter() == NotifyCommand.Filter.SELECTED_DELAYED) {
                selected = NotifyWatch.Selected.DELAYED;
            }
        }
        Map<MailboxName, Set<Event>> targets;
        List<AccountNotify.Rule> rules;
        try {
            targets = targets(s.account(), c);
            rules = rules(c);
        } catch (MailStoreException e) {
            if (e.reason() != MailStoreException.Reason.INVALID_NAME) {
                throw e;
            }
            s.out().tagged(c.tag(), "NO", "CANNOT", "Invalid mailbox name: " + e.getMessage());
            return;
        }
        if (targets.size() > MAX_WATCHED) {
            s.out().tagged(c.tag(), "NO", "LIMIT", "NOTIFY may watch at most " + MAX_WATCHED
                    + " mailboxes; name fewer (SUBTREE or MAILBOXES instead of PERSONAL)");
            return;
        }
        NotifyWatch watch = NotifyWatch.open(s.account(), selected, targets, s::wake);
        watch.withAccount(AccountNotify.open(s.account(), rules, s::wake));
        for (EventGroup g : c.groups()) {
            if (g.newMessageFetch() != null) {
                watch.withNewMessages(new NotifyFetch(g.newMessageFetch()));
            }
        }
        s.setNotify(watch, c.status());
        s.complete(c, null, "NOTIFY completed");
    }

    /** Message events always; account events if the store reports them; metadata events if it keeps metadata. */
    private static Set<Event> supported(MailAccount account) {
        Set<Event> out = EnumSet.of(Event.MessageNew, Event.MessageExpunge, Event.FlagChange);
        if (account.changes().isPresent()) {
            out.add(Event.MailboxName);
            out.add(Event.SubscriptionChange);
            if (account.metadata().isPresent()) {
                out.add(Event.MailboxMetadataChange);
                out.add(Event.ServerMetadataChange);
            }
        }
        return out;
    }

    /** The groups other than SELECTED and SELECTED-DELAYED, in order, for the account-wide events. */
    private static List<AccountNotify.Rule> rules(NotifyCommand c) {
        List<AccountNotify.Rule> out = new ArrayList<>();
        for (EventGroup g : c.groups()) {
            if (g.filter() != NotifyCommand.Filter.SELECTED && g.filter() != NotifyCommand.Filter.SELECTED_DELAYED) {
                Set<MailboxName> names = new HashSet<>();
                for (String n : g.mailboxes()) {
                    names.add(MailboxNames.of(n));
                }
                out.add(new AccountNotify.Rule(g.filter(), names, g.events()));
            }
        }
        return out;
    }

    /** The mailboxes each non-selected filter names now, with the events of the first group naming them. */
    private static Map<MailboxName, Set<Event>> targets(MailAccount account, NotifyCommand c) {
        Map<MailboxName, Set<Event>> out = new LinkedHashMap<>();
        for (EventGroup g : c.groups()) {
            switch (g.filter()) {
                case SELECTED, SELECTED_DELAYED -> { }
                case INBOXES -> out.putIfAbsent(MailboxName.INBOX, g.events()); // mail is delivered to INBOX only
                case PERSONAL -> {
                    for (MailboxInfo i : account.list()) {
                        if (i.selectable()) {
                            putLimited(out, i.name(), g.events());
                        }
                    }
                }
                case SUBSCRIBED -> {
                    for (MailboxName n : account.subscriptions()) {
                        putLimited(out, n, g.events());
                    }
                }
                case MAILBOXES -> {
                    for (String n : g.mailboxes()) {
                        putLimited(out, MailboxNames.of(n), g.events());
                    }
                }
                case SUBTREE -> {
                    for (String n : g.mailboxes()) {
                        MailboxName root = MailboxNames.of(n);
                        putLimited(out, root, g.events());
                        for (MailboxInfo i : account.list()) {
                            if (i.selectable() && i.name().isInferiorOf(root)) {
                                putLimited(out, i.name(), g.events());
                            }
                        }
                    }
                }
                default -> throw new IllegalStateException(g.filter().name());
            }
        }
        // a group's NONE, or account events only: named, so later groups do not claim it, but no view is needed
        out.values().removeIf(e -> !e.contains(Event.MessageNew) && !e.contains(Event.FlagChange));
        return out;
    }

    private static void putLimited(Map<MailboxName, Set<Event>> out, MailboxName n, Set<Event> events) {
        if (out.size() <= MAX_WATCHED) {
            out.putIfAbsent(n, events);
        }
    }
}
