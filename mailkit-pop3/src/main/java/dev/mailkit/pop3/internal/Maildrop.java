package dev.mailkit.pop3.internal;

import dev.mailkit.core.MessageSource;
import dev.mailkit.store.FlagOperation;
import dev.mailkit.store.Flags;
import dev.mailkit.store.MailStoreException;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxView;
import dev.mailkit.store.MessageInfo;
import dev.mailkit.store.SystemFlag;
import dev.mailkit.store.UidSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.BitSet;
import java.util.Optional;

/**
 * One session's maildrop: the messages of an exclusive {@link MailboxView} as they were at login, numbered 1..n,
 * with their sizes and UIDLs, and the session's pending deletions. The view is never synced, so messages that arrive
 * during the session stay invisible to it. {@link #commit} is the UPDATE state; {@link #abandon} (a connection that
 * ended without QUIT) changes nothing. Used by one session thread.
 */
public final class Maildrop {
    private static final Logger LOG = LoggerFactory.getLogger(Maildrop.class);
    private final MailboxView view;
    private final Mailbox box;
    private final long uidValidity;
    private final long[] uids;
    private final long[] sizes;
    private final BitSet deleted = new BitSet();
    private final BitSet retrieved = new BitSet();
    private int deletedCount;
    private long deletedSize;
    private final long totalSize;
    private boolean closed;

    private Maildrop(MailboxView view) {
        this.view = view;
        this.box = view.mailbox();
        this.uidValidity = box.uidValidity();
        int n = view.messageCount();
        this.uids = new long[n];
        this.sizes = new long[n];
        long total = 0;
        for (int i = 0; i < n; i++) {
            long uid = view.uid(i + 1);
            uids[i] = uid;
            Optional<MessageInfo> info = box.message(uid);
            // a message expunged by another session between the snapshot and here: size 0 until RETR says so
            long size = info.map(MessageInfo::size).orElse(0L);
            sizes[i] = size;
            total += size;
        }
        this.totalSize = total;
    }

    /** Takes the snapshot of an open exclusive view; the maildrop owns the view from now on. */
    public static Maildrop open(MailboxView view) {
        try {
            return new Maildrop(view);
        } catch (RuntimeException e) {
            view.close();
            throw e;
        }
    }

    /** The number of messages at login, deleted ones included (the highest valid message number). */
    public int size() {
        return uids.length;
    }

    /** Whether {@code msg} names a message that exists and is not marked deleted. */
    public boolean isLive(int msg) {
        return msg >= 1 && msg <= uids.length && !deleted.get(msg - 1);
    }

    /** Whether {@code msg} names a message marked deleted in this session. */
    public boolean isDeleted(int msg) {
        return msg >= 1 && msg <= uids.length && deleted.get(msg - 1);
    }

    /** The number of messages not marked deleted. */
    public int liveCount() {
        return uids.length - deletedCount;
    }

    /** The total size of the messages not marked deleted. */
    public long liveSize() {
        return totalSize - deletedSize;
    }

    /** The size in octets of a message (its CRLF form, before byte-stuffing). */
    public long sizeOf(int msg) {
        return sizes[msg - 1];
    }

    /**
     * The unique-id listing of a message: Dovecot's default {@code %08Xu%08Xv} (UID, then UIDVALIDITY, as 16
     * lower-case hex digits, as Dovecot prints them), so that over the same Maildir the two servers agree.
     */
    public String uidl(int msg) {
        char[] c = new char[16];
        hex(uids[msg - 1], c, 0);
        hex(uidValidity, c, 8);
        return new String(c);
    }

    private static void hex(long v, char[] c, int at) {
        for (int i = 7; i >= 0; i--) {
            c[at + i] = Character.forDigit((int) (v & 0xF), 16);
            v >>>= 4;
        }
    }

    /**
     * The content of a message, or empty if another session expunged it meanwhile. The caller closes it.
     *
     * @param retrieve whether this is a RETR (the message then gets {@code \Seen} at QUIT, if configured)
     */
    public Optional<MessageSource> content(int msg, boolean retrieve) {
        Optional<MessageSource> c = box.content(uids[msg - 1]);
        if (retrieve && c.isPresent()) {
            retrieved.set(msg - 1);
        }
        return c;
    }

    /** Marks a live message deleted (DELE). */
    public void delete(int msg) {
        if (!deleted.get(msg - 1)) {
            deleted.set(msg - 1);
            deletedCount++;
            deletedSize += sizes[msg - 1];
        }
    }

    /** Unmarks every message (RSET). */
    public void reset() {
        deleted.clear();
        deletedCount = 0;
        deletedSize = 0;
    }

    /** The number of messages marked deleted. */
    public int deletedCount() {
        return deletedCount;
    }

    /**
     * The UPDATE state: expunges the messages marked deleted and, if asked, flags the retrieved ones {@code \Seen}
     * (best effort), then releases the maildrop. If the expunge fails, the {@code \Deleted} flags it set are taken
     * back.
     *
     * @return the number of messages expunged
     * @throws MailStoreException if the store failed; nothing was expunged then
     */
    public int commit(boolean markSeen) {
        try {
            int expunged = expungeDeleted();
            if (markSeen) {
                UidSet seen = uidsOf(retrieved, deleted);
                if (!seen.isEmpty()) {
                    try {
                        view.store(seen, FlagOperation.ADD, Flags.of(SystemFlag.SEEN));
                    } catch (RuntimeException e) {
                        // the deletions are what the client asked for; \Seen is a courtesy to IMAP clients
                        LOG.warn("could not flag {} retrieved messages \\Seen: {}", seen.size(), e.toString());
                    }
                }
            }
            return expunged;
        } finally {
            abandon();
        }
    }

    private int expungeDeleted() {
        UidSet toExpunge = uidsOf(deleted, null);
        if (toExpunge.isEmpty()) {
            return 0;
        }
        UidSet notYetFlagged = notFlaggedDeleted(toExpunge);
        view.store(toExpunge, FlagOperation.ADD, Flags.of(SystemFlag.DELETED));
        try {
            return view.expunge(toExpunge).count();
        } catch (RuntimeException e) {
            try {
                view.store(notYetFlagged, FlagOperation.REMOVE, Flags.of(SystemFlag.DELETED));
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private UidSet notFlaggedDeleted(UidSet set) {
        UidSet.Builder b = UidSet.builder();
        set.stream().forEach(uid -> box.message(uid).filter(m -> !m.flags().contains(SystemFlag.DELETED))
                .ifPresent(m -> b.add(uid)));
        return b.build();
    }

    private UidSet uidsOf(BitSet which, BitSet except) {
        UidSet.Builder b = UidSet.builder();
        for (int i = which.nextSetBit(0); i >= 0; i = which.nextSetBit(i + 1)) {
            if (except == null || !except.get(i)) {
                b.add(uids[i]);
            }
        }
        return b.build();
    }

    /** Releases the maildrop without changing anything. Idempotent. */
    public void abandon() {
        if (!closed) {
            closed = true;
            view.close();
        }
    }
}
