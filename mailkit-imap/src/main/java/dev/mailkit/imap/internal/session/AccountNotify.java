package dev.mailkit.imap.internal.session;

import dev.mailkit.imap.internal.command.NotifyCommand.Event;
import dev.mailkit.imap.internal.command.NotifyCommand.Filter;
import dev.mailkit.imap.internal.encode.ImapWriter;
import dev.mailkit.store.AccountChange;
import dev.mailkit.store.AccountChanges;
import dev.mailkit.store.MailAccount;
import dev.mailkit.store.MailboxName;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The account-wide half of one NOTIFY SET (RFC 5465): MailboxName, SubscriptionChange, MailboxMetadataChange and
 * ServerMetadataChange. Follows the account's {@link AccountChanges} from the number it had when NOTIFY SET ran (no
 * event from before is reported), and turns each change that a rule matches into the response RFC 5465 5.4-5.7
 * gives it, as Dovecot writes them: {@code * LIST} for a mailbox created, deleted ({@code \NonExistent}), renamed
 * (with {@code OLDNAME}), subscribed ({@code \Subscribed}) or unsubscribed (RFC 5465 gives a rename of a parent
 * one event per mailbox moved; INBOX's rename is the creation of its new name); {@code * METADATA mailbox entry} (RFC 5464
 * 4.4.2) for a metadata entry. The first rule whose filter names the mailbox decides (RFC 5465 6). More than
 * {@value #MAX_PENDING} changes waiting, or changes the store no longer keeps, is an overflow: the caller answers
 * {@code [NOTIFICATIONOVERFLOW]} and drops the whole watch. Used under the session's write lock; closed with the
 * {@link NotifyWatch}.
 */
public final class AccountNotify implements AutoCloseable {
    /** The most account changes that may wait for one session before NOTIFY gives up on it. */
    public static final int MAX_PENDING = 1000;

    /**
     * One event group of NOTIFY SET other than SELECTED and SELECTED-DELAYED.
     *
     * @param names the SUBTREE roots or MAILBOXES names (empty for the other filters)
     */
    public record Rule(Filter filter, Set<MailboxName> names, Set<Event> events) {
        public Rule {
            names = Set.copyOf(names);
            events = Set.copyOf(events);
        }

        boolean names(MailboxName n, Set<MailboxName> subscribed) {
            switch (filter) {
                case PERSONAL: return true;
                case INBOXES: return n.isInbox(); // mail is delivered to INBOX only
                case SUBSCRIBED: return subscribed.contains(n);
                case MAILBOXES: return names.contains(n);
                case SUBTREE:
                    for (MailboxName root : names) {
                        if (n.equals(root) || n.isInferiorOf(root)) {
                            return true;
                        }
                    }
                    return false;
                default: return false;
            }
        }
    }

    private final MailAccount account;
    private final AccountChanges changes;
    private final List<Rule> rules;
    private final Runnable wake;
    private long sequence;

    private AccountNotify(MailAccount account, AccountChanges changes, List<Rule> rules, Runnable wake) {
        this.account = account;
        this.changes = changes;
        this.rules = List.copyOf(rules);
        this.wake = wake;
        this.sequence = changes.sequence();
    }

    /**
     * Starts following the account's changes, or returns null if there are no rules (only SELECTED) or the store
     * reports no changes. Followed even for message events alone: a mailbox created later that a rule names is
     * watched from then on.
     */
    public static AccountNotify open(MailAccount account, List<Rule> rules, Runnable wake) {
        Optional<AccountChanges> feed = account.changes();
        if (feed.isEmpty() || rules.isEmpty()) {
            return null;
        }
        AccountNotify n = new AccountNotify(account, feed.get(), rules, wake);
        feed.get().addListener(wake);
        return n;
    }

    /**
     * Writes the responses for the changes since the last call.
     *
     * @param watch kept in step with the changes (see {@link #follow}): renamed, new and deleted mailboxes
     * @return false on overflow (nothing written: the caller ends NOTIFY)
     */
    boolean write(ImapWriter out, NotifyWatch watch) throws IOException {
        Optional<List<AccountChange>> got = changes.since(sequence);
        if (got.isEmpty() || got.get().size() > MAX_PENDING) {
            return false;
        }
        List<AccountChange> list = got.get();
        if (list.isEmpty()) {
            return true;
        }
        sequence = list.get(list.size() - 1).sequence();
        Set<MailboxName> subscribed = new HashSet<>(account.subscriptions());
        for (AccountChange c : list) {
            follow(c, watch, subscribed);
            Event e = event(c);
            if (!wanted(e, c.mailbox(), subscribed)) {
                continue;
            }
            if (e == Event.MailboxMetadataChange || e == Event.ServerMetadataChange) {
                out.ascii("* METADATA ").mailboxAstring(c.mailbox() == null ? "" : c.mailbox().toString())
                        .sp().astring(c.entry()).crlf();
                continue;
            }
            list(out, c, attributes(c, subscribed));
        }
        return true;
    }

    /** Keeps the watched mailboxes in step: renamed, deleted, and new ones a filter names with message events. */
    private void follow(AccountChange c, NotifyWatch watch, Set<MailboxName> subscribed) {
        switch (c.kind()) {
            case RENAMED -> watch.renamed(c.oldName(), c.mailbox());
            case DELETED -> watch.unwatch(c.mailbox());
            default -> { }
        }
        if (c.kind() == AccountChange.Kind.CREATED || c.kind() == AccountChange.Kind.RENAMED) {
            for (Rule r : rules) {
                if (r.names(c.mailbox(), subscribed)) {
                    if (r.events().contains(Event.MessageNew) || r.events().contains(Event.FlagChange)) {
                        watch.watch(account, c.mailbox(), r.events());
                    }
                    return;
                }
            }
        }
    }

    private static Event event(AccountChange c) {
        switch (c.kind()) {
            case SUBSCRIBED, UNSUBSCRIBED: return Event.SubscriptionChange;
            case METADATA: return c.mailbox() == null ? Event.ServerMetadataChange : Event.MailboxMetadataChange;
            default: return Event.MailboxName;
        }
    }

    /** RFC 5465 6: the first rule naming the mailbox decides; the server entries belong to no mailbox. */
    private boolean wanted(Event e, MailboxName name, Set<MailboxName> subscribed) {
        for (Rule r : rules) {
            if (e == Event.ServerMetadataChange) {
                if (r.events().contains(e)) {
                    return true;
                }
            } else if (r.names(name, subscribed)) {
                return r.events().contains(e);
            }
        }
        return false;
    }

    /**
     * As Dovecot: no attributes for a mailbox that exists (RFC 5258 sends the children attributes only when asked),
     * {@code \NonExistent} for one that does not (deleted, or a subscribed name without a mailbox), {@code \Subscribed}
     * when the change subscribed it and it still is.
     */
    private String attributes(AccountChange c, Set<MailboxName> subscribed) {
        boolean missing = c.kind() == AccountChange.Kind.DELETED || !account.exists(c.mailbox());
        boolean sub = c.kind() == AccountChange.Kind.SUBSCRIBED && subscribed.contains(c.mailbox());
        return (missing ? "\\NonExistent" : "") + (missing && sub ? " " : "") + (sub ? "\\Subscribed" : "");
    }

    private static void list(ImapWriter out, AccountChange c, String attributes) throws IOException {
        out.ascii("* LIST (").ascii(attributes).ascii(") \"").write(MailboxName.DELIMITER).ascii("\" ")
                .mailboxAstring(c.mailbox().toString());
        if (c.kind() == AccountChange.Kind.RENAMED) {
            out.ascii(" (\"OLDNAME\" (").mailboxAstring(c.oldName().toString()).ascii("))");
        }
        out.crlf();
    }

    @Override
    public void close() {
        changes.removeListener(wake);
    }
}
