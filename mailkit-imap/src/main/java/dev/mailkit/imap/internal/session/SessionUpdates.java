package dev.mailkit.imap.internal.session;

import dev.mailkit.imap.internal.encode.ImapWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What one session writes between commands, when the store wakes it: the selected mailbox's changes during IDLE or
 * with NOTIFY's SELECTED filter, and the rest of its {@link NotifyWatch} (other mailboxes' STATUS, account-wide
 * LIST and METADATA responses). A wake only queues the work on the server's {@link IdleNotifier}; repeated wakes
 * before it runs are merged. When the account changes pile up beyond what NOTIFY keeps for a session, writes
 * {@code * OK [NOTIFICATIONOVERFLOW]} and ends NOTIFY (RFC 5465 5.8: as NOTIFY NONE). Thread-safe; the writing
 * runs under the session's write lock.
 */
final class SessionUpdates {
    private static final Logger LOG = LoggerFactory.getLogger(SessionUpdates.class);

    private final ImapSession session;
    private final IdleNotifier notifier;
    private final AtomicBoolean wakeQueued = new AtomicBoolean();
    private volatile boolean idling;
    private volatile NotifyWatch notify;

    SessionUpdates(ImapSession session, IdleNotifier notifier) {
        this.session = session;
        this.notifier = notifier;
    }

    /** The NOTIFY watch, or null. */
    NotifyWatch notifyWatch() {
        return notify;
    }

    boolean idling() {
        return idling;
    }

    void setIdling(boolean on) {
        if (idling != on) {
            notifier.idling(on ? 1 : -1);
        }
        idling = on;
    }

    void wake() {
        if ((idling || notify != null) && wakeQueued.compareAndSet(false, true)) {
            notifier.submit(this::write);
        }
    }

    private void write() {
        wakeQueued.set(false);
        session.writeLock().lock();
        try {
            NotifyWatch n = notify;
            if (idling || n != null && n.selected() != NotifyWatch.Selected.NONE) {
                session.reportUpdates(idling || n.selected() == NotifyWatch.Selected.IMMEDIATE);
            }
            if (idling) {
                session.reportSearchUpdates();
            }
            if (n != null && session.state() != SessionState.LOGOUT) {
                ImapWriter out = session.out();
                // account changes first: they rename, add and drop the mailboxes whose STATUS follows
                if (n.writeAccountChanges(out)) {
                    n.writeChanges(out, session.selected() == null ? null : session.selected().name(),
                            session.condstore());
                } else {
                    out.ascii("* OK [NOTIFICATIONOVERFLOW] More than ").ascii(String.valueOf(
                            AccountNotify.MAX_PENDING)).ascii(" events were waiting; NOTIFY is off now: send "
                            + "NOTIFY SET again and LIST to catch up").crlf();
                    setNotify(null, false);
                }
            }
            session.out().flush();
        } catch (IOException | RuntimeException e) {
            LOG.debug("{}: cannot write IDLE update: {}", session.connection().id(), e.toString());
            session.connection().close();
        } finally {
            session.writeLock().unlock();
        }
    }

    /** Replaces the watch (null: NOTIFY NONE), closing the previous one; see {@link ImapSession#setNotify}. */
    void setNotify(NotifyWatch w, boolean status) throws IOException {
        NotifyWatch old = notify;
        notify = w;
        if (old != null) {
            old.close();
        }
        if (w != null && status) {
            w.writeStatus(session.out(), session.selected() == null ? null : session.selected().name(),
                    session.condstore());
        }
    }
}
