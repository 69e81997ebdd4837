package dev.mailkit.store.internal;

import dev.mailkit.core.MessageSource;
import dev.mailkit.store.CopyResult;
import dev.mailkit.store.Expunges;
import dev.mailkit.store.Flags;
import dev.mailkit.store.MailStoreException;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.UidSet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Messages going from one mailbox to another: COPY and MOVE (RFC 3501 6.4.7, RFC 6851) and the move of every message
 * when INBOX is renamed (RFC 3501 6.3.5). Between mailkit engines the target's storage imports each message
 * (sharing its bytes or hard-linking its file where it can) without the source's lock, then commits them all under
 * one MODSEQ; the target account's quota is reserved for the batch first. A message expunged from the source while
 * it is being copied is left out. To any other {@link Mailbox}, messages are appended one by one. Stateless.
 */
final class MessageTransfer {
    private MessageTransfer() {
    }

    /** Copies messages (ascending UIDs) of {@code source} to a mailbox of this or another store. */
    static CopyResult copy(MailboxEngine source, int[] uids, Mailbox target, boolean forMove) {
        List<Incoming> items = source.incoming(uids);
        UidSet.Builder src = UidSet.builder();
        UidSet.Builder dst = UidSet.builder();
        long targetValidity;
        if (target instanceof MailboxHandle) {
            MailboxEngine te = ((MailboxHandle) target).engine();
            boolean sameAccount = te.quota == source.quota;
            long[] newUids = appendAll(te, items, source, !(forMove && sameAccount));
            for (int k = 0; k < newUids.length; k++) {
                if (newUids[k] != 0) {
                    src.add(items.get(k).sourceUid());
                    dst.add(newUids[k]);
                }
            }
            targetValidity = te.uidValidity();
        } else {
            for (Incoming in : items) {
                long newUid;
                try (MessageSource s = source.storage.openContent(in.ref())) {
                    newUid = target.append(s, Flags.ofBits(in.flagBits(), in.keywords()),
                            Instant.ofEpochSecond(in.date()));
                } catch (IOException e) {
                    throw new MailStoreException(MailStoreException.Reason.IO_ERROR,
                            "cannot read message " + in.sourceUid() + " of " + source.name() + ": " + e.getMessage(),
                            e);
                }
                src.add(in.sourceUid());
                dst.add(newUid);
            }
            targetValidity = target.uidValidity();
        }
        return new CopyResult(targetValidity, src.build(), dst.build(), Expunges.NONE);
    }

    /**
     * Moves every message of {@code source} into {@code target} (RENAME INBOX): the target gets them with new UIDs,
     * the source's views see them expunged.
     */
    static void moveAll(MailboxEngine source, MailboxEngine target) {
        List<Incoming> items = source.incoming(source.uids());
        appendAll(target, items, source, false);
        int[] uids = new int[items.size()];
        for (int k = 0; k < uids.length; k++) {
            uids[k] = (int) items.get(k).sourceUid();
        }
        source.expunge(null, uids, false);
    }

    /**
     * Adds messages of another mailbox to {@code target}. Returns their new UIDs, ascending, in the order of
     * {@code items}; 0 for a message that was expunged from the source (and its content lost) meanwhile.
     */
    private static long[] appendAll(MailboxEngine target, List<Incoming> items, MailboxEngine source,
                                    boolean enforceQuota) {
        target.checkNotDeleted();
        if (items.isEmpty()) {
            return new long[0];
        }
        long bytes = 0;
        for (Incoming in : items) {
            bytes += in.size();
        }
        target.quota.reserve(bytes, items.size(), enforceQuota);
        Object[] refs = new Object[items.size()];
        boolean committed = false;
        long[] uids;
        try {
            for (int k = 0; k < refs.length; k++) {
                refs[k] = importOne(target, items.get(k), source);
            }
            int copied = 0;
            for (Object r : refs) {
                if (r != null) {
                    copied++;
                }
            }
            if (copied < refs.length) {
                // some were expunged from the source meanwhile: their UIDs stay 0
                List<Incoming> kept = new ArrayList<>(copied);
                Object[] keptRefs = new Object[copied];
                int[] at = new int[copied];
                long keptBytes = 0;
                for (int k = 0, j = 0; k < refs.length; k++) {
                    if (refs[k] != null) {
                        kept.add(items.get(k));
                        at[j] = k;
                        keptRefs[j++] = refs[k];
                        keptBytes += items.get(k).size();
                    }
                }
                target.quota.release(bytes - keptBytes, refs.length - copied);
                long[] all = new long[refs.length];
                bytes = keptBytes;
                refs = keptRefs;
                int n = items.size();
                items = kept;
                if (!items.isEmpty()) {
                    long[] got = target.commitRows(items, refs);
                    for (int j = 0; j < got.length; j++) {
                        all[at[j]] = got[j];
                    }
                }
                committed = true;
                uids = all;
                if (n > 0 && items.isEmpty()) {
                    return uids;
                }
            } else {
                uids = target.commitRows(items, refs);
            }
            committed = true;
        } catch (IOException | UncheckedIOException e) {
            throw new MailStoreException(MailStoreException.Reason.IO_ERROR,
                    "cannot copy messages into " + target.name() + ": " + e.getMessage(), e);
        } finally {
            if (!committed) {
                target.quota.release(bytes, items.size());
                for (Object r : refs) {
                    if (r != null) {
                        target.storage.discardContent(r);
                    }
                }
            }
        }
        target.log.wake();
        return uids;
    }

    /**
     * Stores one message of the source in the target's storage: imported where the target can, streamed through
     * its content otherwise. Returns the target's reference, or null if the message was expunged from the source
     * meanwhile and its content is gone.
     */
    private static Object importOne(MailboxEngine target, Incoming in, MailboxEngine source) throws IOException {
        try {
            Object ref = target.storage.importContent(source.storage, in.ref(), in.flagBits(), in.keywords(),
                    in.date());
            if (ref == null) {
                try (MessageSource src = source.storage.openContent(in.ref())) {
                    ref = target.storage.storeContent(src, in.flagBits(), in.keywords(), in.date());
                }
            }
            return ref;
        } catch (IOException | UncheckedIOException e) {
            if (source.refOf(in.sourceUid()) != null) {
                throw e;
            }
            return null; // expunged from the source meanwhile and its content is gone: not copied
        }
    }
}
