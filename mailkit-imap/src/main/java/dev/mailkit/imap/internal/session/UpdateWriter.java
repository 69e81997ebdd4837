package dev.mailkit.imap.internal.session;

import dev.mailkit.imap.internal.encode.ImapWriter;
import dev.mailkit.imap.internal.encode.Responses;
import dev.mailkit.imap.internal.store.StoreFlags;
import dev.mailkit.store.Expunges;
import dev.mailkit.store.MessageInfo;
import dev.mailkit.store.UidSet;

import java.io.IOException;
import java.util.Optional;

/** Writes the untagged responses of a selected mailbox's changes that {@link ImapSession#reportUpdates} sends. */
final class UpdateWriter {
    private UpdateWriter() {
    }

    /** A FETCH FLAGS (with MODSEQ under CONDSTORE) per changed message still in the snapshot, its state now. */
    static void flagChanges(ImapWriter out, SelectedMailbox sel, UidSet changed, boolean condstore)
            throws IOException {
        for (int i = 0; i < changed.rangeCount(); i++) {
            for (long uid = changed.rangeStart(i); uid <= changed.rangeEnd(i); uid++) {
                int seq = sel.view().seq(uid);
                if (seq == 0) {
                    continue;
                }
                Optional<MessageInfo> info = sel.mailbox().message(uid);
                if (info.isPresent()) {
                    Responses.flagUpdate(out, seq, StoreFlags.toImap(info.get().flags(), sel.isRecent(seq)),
                            uid, condstore ? info.get().modSeq() : 0);
                }
            }
        }
    }

    /** An EXPUNGE per message, or with QRESYNC one VANISHED with their UIDs (RFC 7162 3.2.10). */
    static void expunges(ImapWriter out, Expunges e, boolean qresync) throws IOException {
        if (qresync) {
            out.ascii("* VANISHED ").ascii(e.uids().toString()).crlf();
            return;
        }
        // the highest first, as Dovecot: each number is then the message's number before the command
        int[] seqs = e.sequenceNumbers();
        for (int i = seqs.length - 1; i >= 0; i--) {
            Responses.expunge(out, seqs[i] + i);
        }
    }
}
