package dev.mailkit.imap.internal.session;

import dev.mailkit.imap.internal.command.SequenceSet;
import dev.mailkit.imap.internal.exec.SearchUpdates;
import dev.mailkit.imap.internal.store.StoreMessage;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.MailboxView;
import dev.mailkit.store.MessageInfo;
import dev.mailkit.store.UidSet;

import java.util.Optional;

/**
 * The selected state: the mailbox, the session's view of it (sequence numbers, \Recent, pending changes) and how it
 * was opened. Turns the sequence and UID sets of commands into UIDs of the snapshot and walks them in order.
 * Used by the session thread (the view itself is thread-safe for the IDLE listener).
 */
public final class SelectedMailbox implements AutoCloseable {
    /** A message number set that names messages the snapshot does not have (RFC 3501: BAD). */
    public static final class InvalidSetException extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidSetException() {
            super("Invalid messageset", null, false, false);
        }
    }

    /** Receives the messages of a walk. */
    @FunctionalInterface
    public interface Visitor<E extends Exception> {
        void visit(int seq, long uid) throws E;
    }

    private final MailboxName name;
    private final Mailbox mailbox;
    private final MailboxView view;
    private final boolean readOnly;
    private int reportedRecent;
    private boolean recentHidden;
    private UidSet saved = UidSet.EMPTY;
    private final SearchUpdates searchUpdates = new SearchUpdates();

    public SelectedMailbox(MailboxName name, Mailbox mailbox, MailboxView view, boolean readOnly) {
        this.name = name;
        this.mailbox = mailbox;
        this.view = view;
        this.readOnly = readOnly;
    }

    public MailboxName name() {
        return name;
    }

    public Mailbox mailbox() {
        return mailbox;
    }

    public MailboxView view() {
        return view;
    }

    public boolean readOnly() {
        return readOnly;
    }

    /** The searches kept up to date for the client (RFC 5267 UPDATE), dropped with the selection. */
    public SearchUpdates searchUpdates() {
        return searchUpdates;
    }

    /** No message is \Recent for this client from now on (IMAP4rev2 enabled: RFC 9051 has no \Recent). */
    public void hideRecent() {
        recentHidden = true;
    }

    /** Whether the message at {@code seq} is \Recent as this client sees it. */
    public boolean isRecent(int seq) {
        return !recentHidden && view.isRecent(seq);
    }

    /** The \Recent count the client was last told. */
    public int reportedRecent() {
        return reportedRecent;
    }

    /** Remembers the \Recent count the client was told. */
    public void reportedRecent(int n) {
        reportedRecent = n;
    }

    /**
     * Saves a SEARCH result for {@code $} (RFC 5182), as UIDs: messages expunged later simply drop out of it. Kept
     * until the next save or until the mailbox is closed (a new selection starts with an empty one).
     */
    public void saveResult(UidSet uids) {
        saved = uids;
    }

    /** The saved SEARCH result's UIDs still in the snapshot ({@code $}). */
    public UidSet savedResult() {
        UidSet.Builder b = UidSet.builder();
        int count = view.messageCount();
        for (int i = 0; i < saved.rangeCount(); i++) {
            long last = saved.rangeEnd(i);
            for (int seq = view.seqCeiling(saved.rangeStart(i)); seq <= count; seq++) {
                long u = view.uid(seq);
                if (u > last) {
                    break;
                }
                b.add(u);
            }
        }
        return b.build();
    }

    /** The highest UID in the snapshot, 0 if it is empty. */
    public long maxUid() {
        int n = view.messageCount();
        return n == 0 ? 0 : view.uid(n);
    }

    /**
     * The UIDs of the snapshot's messages that the set names.
     *
     * @param uid whether the set holds UIDs (a UID set never fails: UIDs not in the snapshot are ignored)
     * @throws InvalidSetException for message sequence numbers the snapshot does not have
     */
    public UidSet resolve(SequenceSet set, boolean uid) throws InvalidSetException {
        if (set.isSaved()) {
            return savedResult(); // the same messages in UID and sequence-number commands (RFC 5182 2.1)
        }
        int count = view.messageCount();
        if (uid) {
            long max = maxUid();
            if (max == 0) {
                return UidSet.EMPTY;
            }
            long[] r = set.resolve(max);
            UidSet.Builder b = UidSet.builder();
            for (int i = 0; i < r.length; i += 2) {
                long first = Math.max(1, r[i]);
                long last = Math.min(r[i + 1], UidSet.MAX_UID);
                if (first > last) {
                    continue;
                }
                int seq = view.seqCeiling(first);
                int end = seq;
                while (end <= count && view.uid(end) <= last) {
                    end++;
                }
                if (end > seq) {
                    // the snapshot's UIDs in [first, last]: add them as a range only if they are contiguous
                    addSeqRange(b, seq, end - 1);
                }
            }
            return b.build();
        }
        long[] r = set.resolve(count);
        UidSet.Builder b = UidSet.builder();
        for (int i = 0; i < r.length; i += 2) {
            if (r[i] < 1 || r[i + 1] > count) {
                throw new InvalidSetException();
            }
            addSeqRange(b, (int) r[i], (int) r[i + 1]);
        }
        return b.build();
    }

    /** Like {@link #resolve} for SEARCH, where numbers beyond the mailbox simply match nothing. */
    public UidSet resolveLeniently(SequenceSet set, boolean uid) {
        if (uid || set.isSaved()) {
            try {
                return resolve(set, true);
            } catch (InvalidSetException e) {
                throw new AssertionError(e);
            }
        }
        int count = view.messageCount();
        long[] r = set.resolve(count);
        UidSet.Builder b = UidSet.builder();
        for (int i = 0; i < r.length; i += 2) {
            long first = Math.max(1, r[i]);
            long last = Math.min(count, r[i + 1]);
            if (first <= last) {
                addSeqRange(b, (int) first, (int) last);
            }
        }
        return b.build();
    }

    private void addSeqRange(UidSet.Builder b, int fromSeq, int toSeq) {
        long firstUid = view.uid(fromSeq);
        long lastUid = view.uid(toSeq);
        if (lastUid - firstUid == toSeq - fromSeq) {
            b.addRange(firstUid, lastUid); // dense: one range
            return;
        }
        UidSet part = view.uids(fromSeq, toSeq);
        for (int i = 0; i < part.rangeCount(); i++) {
            b.addRange(part.rangeStart(i), part.rangeEnd(i));
        }
    }

    /** Visits the snapshot's messages with these UIDs in ascending order. */
    public <E extends Exception> void forEach(UidSet uids, Visitor<E> visitor) throws E {
        int count = view.messageCount();
        for (int i = 0; i < uids.rangeCount(); i++) {
            long last = uids.rangeEnd(i);
            for (int seq = view.seqCeiling(uids.rangeStart(i)); seq <= count; seq++) {
                long u = view.uid(seq);
                if (u > last) {
                    break;
                }
                visitor.visit(seq, u);
            }
        }
    }

    /** The message at a sequence number, or empty if another session expunged it meanwhile. */
    public Optional<StoreMessage> message(int seq, long uid) {
        Optional<MessageInfo> info = mailbox.message(uid);
        return info.map(i -> new StoreMessage(mailbox, i, isRecent(seq)));
    }

    @Override
    public void close() {
        view.setChangeListener(null);
        view.close();
        mailbox.close();
    }
}
