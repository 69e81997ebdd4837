package dev.mailkit.store;

import java.util.Objects;

/**
 * What {@link MailboxView#sync()} applied to a session's snapshot: the changes other sessions made since the last
 * sync, in a form that maps directly onto IMAP's unsolicited responses. Report them in this order:
 * <ol>
 *   <li>{@link #expunged()}: {@code * n EXPUNGE} for each sequence number (or {@code VANISHED} with the UIDs);</li>
 *   <li>if {@link #newMessages()} &gt; 0: {@code * messageCount EXISTS} and {@code * recentCount RECENT};</li>
 *   <li>if {@link #keywordsChanged()}: {@code * FLAGS (...)} and {@code * OK [PERMANENTFLAGS (...)]};</li>
 *   <li>for each UID of {@link #flagsChanged()}: {@code * n FETCH (FLAGS (...) [UID u] [MODSEQ (m)])} with the
 *       current values from {@link Mailbox#message(long)} and the sequence number from {@link MailboxView#seq(long)};</li>
 *   <li>if {@link #mailboxDeleted()}: the mailbox was deleted; end the selection (IMAP: {@code * BYE}).</li>
 * </ol>
 * Changes this session made itself through its view are not repeated here (they were reported by the operation),
 * except new messages it appended or copied to its own mailbox, which arrive like anyone else's.
 *
 * <p>Immutable and thread-safe.
 *
 * @param expunged        messages that left the snapshot (already renumbered in the view)
 * @param newMessages     how many messages were added at the end of the snapshot
 * @param messageCount    the number of messages in the snapshot now
 * @param recentCount     the number of this view's {@code \Recent} messages now
 * @param flagsChanged    messages in the snapshot whose flags others changed
 * @param keywordsChanged whether keywords were defined in the mailbox since the last sync
 * @param mailboxDeleted  whether the mailbox has been deleted (every later operation on the view fails)
 * @param highestModSeq   the HIGHESTMODSEQ the session may now report: every change up to it has been reported
 */
public record MailboxChanges(Expunges expunged, int newMessages, int messageCount, int recentCount,
                             UidSet flagsChanged, boolean keywordsChanged, boolean mailboxDeleted,
                             long highestModSeq) {
    /** Validates. */
    public MailboxChanges {
        Objects.requireNonNull(expunged, "expunged");
        Objects.requireNonNull(flagsChanged, "flagsChanged");
    }

    /** Whether there is nothing to report. */
    public boolean isEmpty() {
        return expunged.isEmpty() && newMessages == 0 && flagsChanged.isEmpty() && !keywordsChanged
                && !mailboxDeleted;
    }
}
