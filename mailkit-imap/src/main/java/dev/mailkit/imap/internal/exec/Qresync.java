package dev.mailkit.imap.internal.exec;

import dev.mailkit.imap.internal.command.SelectCommand;
import dev.mailkit.imap.internal.command.SequenceSet;
import dev.mailkit.imap.internal.encode.Responses;
import dev.mailkit.imap.internal.session.ImapSession;
import dev.mailkit.imap.internal.session.SelectedMailbox;
import dev.mailkit.imap.internal.store.StoreFlags;
import dev.mailkit.store.MailboxView;
import dev.mailkit.store.MessageInfo;
import dev.mailkit.store.UidSet;

import java.io.IOException;
import java.util.Optional;

/**
 * QRESYNC's resynchronisation (RFC 7162 3.2.5, 3.2.6): the UIDs a client knew of that are gone, and the messages
 * changed since its MODSEQ. The store keeps no record of expunged UIDs, so every UID of the client's set (or, without
 * one, below UIDNEXT) that is not in the mailbox is reported as VANISHED (EARLIER); the RFC allows reporting UIDs
 * that went before the client's MODSEQ, and clients remove what they do not have anyway.
 */
final class Qresync {
    private Qresync() {
    }

    /** After SELECT's responses: VANISHED (EARLIER), then a FETCH (UID FLAGS MODSEQ) per message changed since. */
    static void afterSelect(ImapSession s, SelectedMailbox sel, SelectCommand.Qresync q) throws IOException {
        if (q.uidValidity() != sel.mailbox().uidValidity()) {
            return; // the client's cache is of another mailbox: it starts afresh
        }
        MailboxView view = sel.view();
        UidSet gone = vanished(view, q.knownUids());
        if (!gone.isEmpty()) {
            s.out().ascii("* VANISHED (EARLIER) ").ascii(gone.toString()).crlf();
        }
        int count = view.messageCount();
        UidSet known = q.knownUids() == null ? null : sel.resolveLeniently(q.knownUids(), true);
        for (int seq = 1; seq <= count; seq++) {
            long uid = view.uid(seq);
            if (known != null && !known.contains(uid)) {
                continue; // only the messages the client knows of (as Dovecot)
            }
            Optional<MessageInfo> info = sel.mailbox().message(uid);
            if (info.isPresent() && info.get().modSeq() > q.modSeq()) {
                Responses.flagUpdate(s.out(), seq, StoreFlags.toImap(info.get().flags(), sel.isRecent(seq)), uid,
                        info.get().modSeq());
            }
        }
    }

    /**
     * The UIDs of the set (null: all below UIDNEXT) that are not in the view's snapshot, up to the snapshot's
     * UIDNEXT. Linear in the set's ranges and the snapshot's messages inside them.
     */
    static UidSet vanished(MailboxView view, SequenceSet set) {
        long top = view.uidNext() - 1;
        if (top < 1) {
            return UidSet.EMPTY;
        }
        long[] r = set == null ? new long[] {1, top} : set.resolve(top);
        int count = view.messageCount();
        UidSet.Builder out = UidSet.builder();
        for (int i = 0; i < r.length; i += 2) {
            long first = Math.max(1, Math.min(r[i], r[i + 1]));
            long last = Math.min(top, Math.max(r[i], r[i + 1]));
            if (first > last) {
                continue;
            }
            long next = first;
            for (int seq = view.seqCeiling(first); seq <= count; seq++) {
                long u = view.uid(seq);
                if (u > last) {
                    break;
                }
                if (u > next) {
                    out.addRange(next, u - 1);
                }
                next = u + 1;
            }
            if (next <= last) {
                out.addRange(next, last);
            }
        }
        return out.build();
    }
}
