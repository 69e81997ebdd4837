package dev.mailkit.imap.internal.session;

import dev.mailkit.imap.internal.command.NotifyCommand.Event;
import dev.mailkit.imap.internal.command.StatusItem;
import dev.mailkit.imap.internal.encode.ImapWriter;
import dev.mailkit.imap.internal.encode.Responses;
import dev.mailkit.store.MailAccount;
import dev.mailkit.store.MailStoreException;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.MailboxStatus;
import dev.mailkit.store.MailboxView;
import dev.mailkit.store.ViewMode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one NOTIFY SET (RFC 5465) watches: for the selected mailbox, whether its events are reported between commands
 * (SELECTED) or with expunges held until a command allows them (SELECTED-DELAYED); for every other watched mailbox, a
 * read-only view whose change listener wakes the session (the same store change events that wake IDLE: nothing
 * polls), and the status last reported, so that a change becomes one {@code * STATUS} response with the items its
 * events name (MessageNew and MessageExpunge: MESSAGES and UIDNEXT; FlagChange: UNSEEN; HIGHESTMODSEQ with
 * CONDSTORE); and the account-wide events through an {@link AccountNotify}. Used under the session's write lock;
 * the listener only wakes the session. Closed by the session when
 * replaced, by NOTIFY NONE and at the end of the session.
 */
public final class NotifyWatch implements AutoCloseable {
    /** How the selected mailbox is watched. */
    public enum Selected { NONE, IMMEDIATE, DELAYED }

    /** Writes the FETCH responses MessageNew asks for (RFC 5465 5.1) for messages just reported by EXISTS. */
    @FunctionalInterface
    public interface NewMessages {
        void write(ImapSession s, int fromSeq, int toSeq) throws IOException;
    }

    private static final class Watched {
        MailboxName name;
        final Mailbox mailbox;
        final MailboxView view;
        final Set<Event> events;
        MailboxStatus last;
        boolean unreported; // watched since NOTIFY SET: compared with an empty mailbox at the next write

        Watched(MailboxName name, Mailbox mailbox, MailboxView view, Set<Event> events) {
            this.name = name;
            this.mailbox = mailbox;
            this.view = view;
            this.events = events;
            this.last = mailbox.status();
        }
    }

    /** The most mailboxes one watch follows (NOTIFY SET naming more is refused; mailboxes created later stop here). */
    public static final int MAX_WATCHED = 1000;

    private final Selected selected;
    private final List<Watched> watched;
    private final Runnable wake;
    private NewMessages newMessages;
    private AccountNotify account;

    private NotifyWatch(Selected selected, List<Watched> watched, Runnable wake) {
        this.selected = selected;
        this.watched = watched;
        this.wake = wake;
    }

    /** Sets the writer of MessageNew's FETCH responses for the selected mailbox (none by default). */
    public NotifyWatch withNewMessages(NewMessages writer) {
        this.newMessages = writer;
        return this;
    }

    /** Adds the account-wide events (null for none); closed with this watch. */
    public NotifyWatch withAccount(AccountNotify a) {
        this.account = a;
        return this;
    }

    /**
     * Writes the account-wide events since the last call.
     *
     * @return false on overflow (see {@link AccountNotify}): the caller ends NOTIFY
     */
    boolean writeAccountChanges(ImapWriter out) throws IOException {
        return account == null || account.write(out, this);
    }

    /** A watched mailbox was renamed: its STATUS responses use the new name. */
    void renamed(MailboxName from, MailboxName to) {
        for (Watched w : watched) {
            if (w.name.equals(from)) {
                w.name = to;
            }
        }
    }

    /**
     * A mailbox that appeared after NOTIFY SET (created, or renamed to a name a filter names) whose filter asks for
     * message events: watched from now on, as PERSONAL and SUBTREE name the mailboxes there are when an event
     * happens (RFC 5465 6). Nothing if it is watched already, is gone again, or {@value #MAX_WATCHED} are watched.
     */
    void watch(MailAccount account, MailboxName name, Set<Event> events) {
        if (watched.size() >= MAX_WATCHED || watched.stream().anyMatch(w -> w.name.equals(name))) {
            return;
        }
        Mailbox m;
        try {
            m = account.open(name);
        } catch (MailStoreException e) {
            return; // deleted meanwhile: its DELETED event follows
        }
        try {
            Watched w = new Watched(name, m, m.openView(ViewMode.READ_ONLY), events);
            // the client has been told nothing of it: compared with an empty mailbox, what it holds (also what was
            // delivered before the view opened) is reported at once
            w.last = new MailboxStatus(0, 0, 1, w.last.uidValidity(), 0, 0, 0, 0);
            w.unreported = true;
            w.view.setChangeListener(wake);
            watched.add(w);
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    /** A watched mailbox was deleted: its view is closed. */
    void unwatch(MailboxName name) {
        for (java.util.Iterator<Watched> it = watched.iterator(); it.hasNext(); ) {
            Watched w = it.next();
            if (w.name.equals(name)) {
                it.remove();
                close(w);
            }
        }
    }

    /** After EXISTS for the selected mailbox: MessageNew's FETCH responses, if it asked for any. */
    void newMessages(ImapSession s, int fromSeq, int toSeq) throws IOException {
        if (newMessages != null && selected != Selected.NONE && fromSeq <= toSeq) {
            newMessages.write(s, fromSeq, toSeq);
        }
    }

    /**
     * Opens a view on each existing mailbox of {@code targets} (names that do not exist are skipped, as Dovecot does)
     * with {@code wake} as its change listener; on a store failure closes what it opened and throws.
     */
    public static NotifyWatch open(MailAccount account, Selected selected, Map<MailboxName, Set<Event>> targets,
                                   Runnable wake) {
        List<Watched> list = new ArrayList<>();
        try {
            for (Map.Entry<MailboxName, Set<Event>> t : targets.entrySet()) {
                Mailbox m;
                try {
                    m = account.open(t.getKey());
                } catch (MailStoreException e) {
                    if (e.reason() == MailStoreException.Reason.NOT_FOUND) {
                        continue;
                    }
                    throw e;
                }
                try {
                    list.add(new Watched(t.getKey(), m, m.openView(ViewMode.READ_ONLY), t.getValue()));
                } catch (RuntimeException e) {
                    m.close();
                    throw e;
                }
            }
        } catch (RuntimeException e) {
            new NotifyWatch(selected, list, wake).close();
            throw e;
        }
        NotifyWatch w = new NotifyWatch(selected, list, wake);
        for (Watched x : list) {
            x.view.setChangeListener(wake);
        }
        return w;
    }

    /** How the selected mailbox's events are reported. */
    public Selected selected() {
        return selected;
    }

    /** The number of mailboxes watched besides the selected one. */
    public int size() {
        return watched.size();
    }

    /** NOTIFY SET STATUS: the status of every watched mailbox except the selected one (RFC 5465 3.1). */
    void writeStatus(ImapWriter out, MailboxName selectedName, boolean condstore) throws IOException {
        for (Watched w : watched) {
            if (!w.name.equals(selectedName)) {
                w.view.sync();
                w.last = w.mailbox.status();
                Map<StatusItem, Long> v = new EnumMap<>(StatusItem.class);
                v.put(StatusItem.MESSAGES, (long) w.last.messages());
                v.put(StatusItem.UIDNEXT, w.last.uidNext());
                v.put(StatusItem.UIDVALIDITY, w.last.uidValidity());
                if (condstore) {
                    v.put(StatusItem.HIGHESTMODSEQ, w.last.highestModSeq());
                }
                write(out, w.name, v);
            }
        }
    }

    /** A {@code * STATUS} for each watched mailbox, other than the selected one, whose reported items changed. */
    void writeChanges(ImapWriter out, MailboxName selectedName, boolean condstore) throws IOException {
        for (Watched w : watched) {
            if (!w.view.hasPendingChanges() && !w.unreported) {
                continue;
            }
            w.unreported = false;
            MailboxStatus now;
            try {
                w.view.sync(); // the queue is drained; the status is read from the mailbox
                now = w.mailbox.status();
            } catch (MailStoreException e) {
                continue; // deleted meanwhile: nothing to report (MailboxName is not among the supported events)
            }
            MailboxStatus was = w.last;
            if (w.name.equals(selectedName)) {
                w.last = now; // the selected mailbox reports through its own view
                continue;
            }
            Map<StatusItem, Long> v = new EnumMap<>(StatusItem.class);
            if (now.messages() != was.messages() || now.uidNext() != was.uidNext()) {
                v.put(StatusItem.MESSAGES, (long) now.messages());
                v.put(StatusItem.UIDNEXT, now.uidNext());
            }
            if (w.events.contains(Event.FlagChange) && now.unseen() != was.unseen()) {
                v.put(StatusItem.UNSEEN, (long) now.unseen());
            }
            if (condstore && !v.isEmpty() && now.highestModSeq() != was.highestModSeq()) {
                v.put(StatusItem.HIGHESTMODSEQ, now.highestModSeq());
            }
            if (!v.isEmpty()) {
                write(out, w.name, v);
                w.last = now;
            }
        }
    }

    private static void write(ImapWriter out, MailboxName name, Map<StatusItem, Long> v) throws IOException {
        Responses.status(out, name.toString(), new ArrayList<>(v.keySet()), new LinkedHashMap<>(v));
    }

    @Override
    public void close() {
        if (account != null) {
            account.close();
        }
        for (Watched w : watched) {
            close(w);
        }
    }

    private static void close(Watched w) {
        try {
            w.view.setChangeListener(null);
            w.view.close();
        } finally {
            w.mailbox.close();
        }
    }
}
