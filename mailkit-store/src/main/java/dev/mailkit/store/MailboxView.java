package dev.mailkit.store;

import java.time.Duration;

/**
 * One session's view of a mailbox: IMAP's selected state, or a POP3 maildrop. Holds the session's own
 * message-sequence-number snapshot and the queue of changes other sessions made since the snapshot was last
 * synced; makes the session's own changes to existing messages.
 *
 * <h2>The snapshot</h2>
 * Sequence numbers 1..{@link #messageCount()} map to ascending UIDs ({@link #uid(int)}, {@link #seq(long)}). The
 * snapshot changes only when the session itself changes it: by {@link #sync()}, {@link #syncWithoutExpunges()},
 * and its own {@link #expunge()}/{@link #move} (which remove messages and say which, to be reported at once).
 * Nothing another session does renumbers it behind the session's back, so a FETCH, STORE or SEARCH can use sequence
 * numbers throughout. Operations address messages by UID ({@link UidSet}); they act only on messages in the
 * snapshot that still exist.
 *
 * <h2>Change notification</h2>
 * Every change to the mailbox (new messages, flag changes, expunges, deletion of the mailbox) is queued, in the
 * order the mailbox applied them, for every open view. A session finds out without polling:
 * {@link #hasPendingChanges()} is a cheap check, {@link #awaitChanges(Duration)} blocks (for IDLE on a thread),
 * {@link #setChangeListener(Runnable)} calls back (for IDLE with a selector or to wake a virtual thread). Then it
 * applies the queue when the protocol allows:
 * <ul>
 *   <li>IMAP after any command, and during IDLE: {@link #sync()}, and send the responses
 *       {@link MailboxChanges} describes;</li>
 *   <li>IMAP after FETCH, STORE or SEARCH (where RFC 3501 forbids EXPUNGE responses):
 *       {@link #syncWithoutExpunges()}, which reports new messages and flag changes and keeps expunges pending
 *       (the expunged messages stay in the snapshot; their data reads as empty);</li>
 *   <li>POP3 never syncs: its snapshot stays as it was when the maildrop was opened.</li>
 * </ul>
 *
 * <h2>Threads</h2>
 * A view belongs to one session, but is thread-safe: an IDLE waiter, the change listener and the session thread may
 * use it at once. The listener runs on the thread that made the change, after the change is complete and outside
 * every store lock; it must return quickly and must not block (wake the session; do the work there).
 */
public interface MailboxView extends AutoCloseable {
    /** The mailbox (a handle owned by this view; do not close it). */
    Mailbox mailbox();

    /** How the view was opened. */
    ViewMode mode();

    /** The number of messages in the snapshot (IMAP EXISTS). */
    int messageCount();

    /**
     * The UID of a message in the snapshot.
     *
     * @throws IndexOutOfBoundsException unless {@code 1 <= seq <= messageCount()}
     */
    long uid(int seq);

    /** The sequence number of a UID in the snapshot, or 0 if it is not there. */
    int seq(long uid);

    /**
     * The sequence number of the first message whose UID is at least {@code uid}, or {@code messageCount() + 1}
     * if there is none (to walk a UID range: from {@code seqCeiling(first)} while {@code uid(seq) <= last}).
     */
    int seqCeiling(long uid);

    /** The UIDs of the messages {@code fromSeq..toSeq} of the snapshot (inclusive, in either order; clamped). */
    UidSet uids(int fromSeq, int toSeq);

    /** Whether the message is {@code \Recent} in this session. */
    boolean isRecent(int seq);

    /** The number of this session's {@code \Recent} messages in the snapshot. */
    int recentCount();

    /** The sequence number of the first message without {@code \Seen} (IMAP {@code [UNSEEN n]}), or 0 if none. */
    int firstUnseen();

    /**
     * UIDNEXT as of the snapshot (IMAP SELECT's {@code [UIDNEXT n]}): above every UID the session has been told
     * of, and at or below the UID of every message it has not. {@link Mailbox#status()} may already be ahead.
     */
    long uidNext();

    /** The HIGHESTMODSEQ as of the snapshot: every change up to it has been reported to this session. */
    long highestModSeq();

    /** Whether changes are queued for this view (or expunges deferred by {@link #syncWithoutExpunges()}). Cheap. */
    boolean hasPendingChanges();

    /**
     * Waits until {@link #hasPendingChanges()} or the timeout.
     *
     * @return whether changes are pending
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    boolean awaitChanges(Duration timeout) throws InterruptedException;

    /**
     * Sets the callback for new changes (null to remove it). It runs, after every change to the mailbox, on the
     * thread that made it, outside all store locks; it must not block. It may also run for changes that turn out
     * to need no report (for example the session's own flag changes).
     */
    void setChangeListener(Runnable listener);

    /** Applies every queued change to the snapshot and says what to report. */
    MailboxChanges sync();

    /**
     * Applies queued new messages and flag changes, but keeps expunges pending (the messages stay in the
     * snapshot). For the moments when RFC 3501 forbids EXPUNGE responses.
     */
    MailboxChanges syncWithoutExpunges();

    /**
     * Changes the flags of the messages of the set that are in the snapshot.
     *
     * @throws MailStoreException {@code READ_ONLY}; {@code LIMIT} if a new keyword would exceed the keyword limit
     */
    default StoreResult store(UidSet uids, FlagOperation operation, Flags flags) {
        return store(uids, operation, flags, -1);
    }

    /**
     * Changes the flags of the messages of the set that are in the snapshot, but only of those whose MODSEQ is at
     * most {@code unchangedSince} (CONDSTORE's {@code UNCHANGEDSINCE}); the others are reported as
     * {@link StoreResult#modified()}. The messages that changed get one new MODSEQ.
     *
     * @param unchangedSince the condition, or -1 for none
     * @throws MailStoreException {@code READ_ONLY}; {@code LIMIT} if a new keyword would exceed the keyword limit
     */
    StoreResult store(UidSet uids, FlagOperation operation, Flags flags, long unchangedSince);

    /**
     * Expunges every message of the snapshot that has {@code \Deleted} (IMAP EXPUNGE, CLOSE). Messages other
     * sessions added since the last sync are not touched.
     *
     * @return the expunges to report now, already applied to the snapshot
     * @throws MailStoreException {@code READ_ONLY}
     */
    Expunges expunge();

    /**
     * Expunges the messages of the set that are in the snapshot and have {@code \Deleted} (UIDPLUS UID EXPUNGE; a
     * POP3 QUIT after flagging its DELEs {@code \Deleted}).
     *
     * @return the expunges to report now, already applied to the snapshot
     * @throws MailStoreException {@code READ_ONLY}
     */
    Expunges expunge(UidSet uids);

    /**
     * Copies the messages of the set that are in the snapshot to another mailbox (or this one), with their flags
     * and internal dates, in ascending UID order.
     *
     * @throws MailStoreException {@code OVER_QUOTA}; {@code NOT_FOUND} if the target was deleted
     */
    CopyResult copy(UidSet uids, Mailbox target);

    /**
     * Moves the messages of the set that are in the snapshot to another mailbox (RFC 6851): copies them, then
     * expunges them here whatever their flags. The result's {@link CopyResult#expunged()} are to be reported
     * after the {@code COPYUID}.
     *
     * @throws MailStoreException {@code READ_ONLY}; {@code NOT_FOUND} if the target was deleted
     */
    CopyResult move(UidSet uids, Mailbox target);

    /** Closes the view: no more changes are queued for it. Idempotent. */
    @Override
    void close();
}
