package dev.mailkit.imap.internal.exec;

import dev.mailkit.imap.internal.command.BodySection;
import dev.mailkit.imap.internal.command.FetchAttribute;
import dev.mailkit.imap.internal.command.FetchCommand;
import dev.mailkit.imap.internal.command.FetchItem;
import dev.mailkit.imap.internal.command.FetchRequest;
import dev.mailkit.imap.internal.encode.FetchResponseWriter;
import dev.mailkit.imap.internal.message.MessageFlags;
import dev.mailkit.imap.internal.session.CommandHandler;
import dev.mailkit.imap.internal.session.ImapSession;
import dev.mailkit.imap.internal.session.SelectedMailbox;
import dev.mailkit.imap.internal.store.StoreFlags;
import dev.mailkit.imap.internal.store.StoreMessage;
import dev.mailkit.store.FlagOperation;
import dev.mailkit.store.Flags;
import dev.mailkit.store.StoreResult;
import dev.mailkit.store.SystemFlag;
import dev.mailkit.store.UidSet;

import java.io.IOException;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * FETCH and UID FETCH (RFC 3501 6.4.5, CHANGEDSINCE RFC 7162). Sets \Seen for non-peek body fetches in one store
 * operation up front, then writes each message's response, streaming bodies. Messages another session expunged
 * meanwhile get a response with empty values and the command ends {@code OK [EXPUNGEISSUED]} (RFC 2180 4.1.1, as
 * Dovecot).
 */
final class FetchHandler implements CommandHandler<FetchCommand> {
    @Override
    public void handle(FetchCommand c, ImapSession s) throws IOException {
        SelectedMailbox sel = s.selected();
        UidSet uids;
        try {
            uids = sel.resolve(c.set(), c.uid());
        } catch (SelectedMailbox.InvalidSetException e) {
            s.out().tagged(c.tag(), "BAD", null, "Error in IMAP command " + c.name() + ": Invalid messageset");
            return;
        }
        if (c.vanished() && !s.qresync()) {
            s.out().tagged(c.tag(), "BAD", null, "VANISHED needs QRESYNC enabled");
            return;
        }
        if (c.vanished()) {
            // RFC 7162 3.2.6: the UIDs of the set that are gone, before the changed messages
            dev.mailkit.store.UidSet gone = Qresync.vanished(sel.view(), c.set());
            if (!gone.isEmpty()) {
                s.out().ascii("* VANISHED (EARLIER) ").ascii(gone.toString()).crlf();
            }
        }
        FetchRequest request = c.request();
        if (c.uid() || s.qresync()) {
            request = request.withFirst(FetchAttribute.UID); // RFC 7162 3.2.4: always with QRESYNC
        }
        if (c.changedSince() >= 0 || request.has(FetchAttribute.MODSEQ)) {
            s.enableCondstore();
        }
        if (c.changedSince() >= 0 || s.condstore() && request.has(FetchAttribute.FLAGS)) {
            // RFC 7162 3.1.4.1, and as Dovecot: with CONDSTORE on, flags come with their MODSEQ
            request = request.withLast(FetchAttribute.MODSEQ);
        }
        Set<Long> seenNow = Set.of();
        if (request.setsSeen() && !sel.readOnly() && !uids.isEmpty()) {
            StoreResult r = sel.view().store(uids, FlagOperation.ADD, Flags.of(SystemFlag.SEEN));
            seenNow = new HashSet<>();
            for (StoreResult.Entry e : r.updates()) {
                if (e.changed()) {
                    seenNow.add(e.uid());
                }
            }
        }
        FetchResponseWriter writer = new FetchResponseWriter(s.config().zone());
        boolean needsEnvelope = request.has(FetchAttribute.ENVELOPE);
        boolean needsStructure = needsStructure(request);
        boolean needsContent = request.needsContent();
        FetchRequest req = request;
        Set<Long> seen = seenNow;
        boolean[] missing = {false};
        long changedSince = c.changedSince();
        // an expunged message's MODSEQ: the mailbox's highest, above every change it had (never backwards)
        long[] goneModSeq = {0};
        try {
            sel.forEach(uids, (seq, uid) -> {
                Optional<StoreMessage> m = sel.message(seq, uid);
                if (m.isEmpty()) {
                    missing[0] = true;
                    if (changedSince < 0) {
                        writer.writeExpunged(s.out(), seq, req, uid, StoreFlags.toImap(Flags.NONE,
                                sel.isRecent(seq)), expungedModSeq(sel, goneModSeq));
                    }
                    return;
                }
                StoreMessage msg = m.get();
                if (changedSince >= 0 && msg.modseq() <= changedSince) {
                    return;
                }
                try {
                    msg.prepare(needsEnvelope, needsStructure, needsContent);
                } catch (StoreMessage.ExpungedException e) {
                    missing[0] = true;
                    writer.writeExpunged(s.out(), seq, req, uid, StoreFlags.toImap(Flags.NONE, sel.isRecent(seq)),
                            expungedModSeq(sel, goneModSeq));
                    return;
                }
                MessageFlags flags = StoreFlags.toImap(msg.info().flags(), sel.isRecent(seq));
                try {
                    writer.write(s.out(), seq, req, msg, flags, seen.contains(uid));
                } finally {
                    msg.release();
                }
            });
        } catch (FetchResponseWriter.UnknownCteException e) {
            // RFC 3516 4.3: the messages before it were answered; the command stops there (as Dovecot)
            s.reportUpdates(c.uid());
            s.out().tagged(c.tag(), "NO", "UNKNOWN-CTE", "Unknown Content-Transfer-Encoding");
            return;
        }
        if (missing[0]) {
            // as Dovecot: OK with what it still has (RFC 2180 4.1.1), the code telling the client why some are empty
            s.complete(c, "EXPUNGEISSUED", "Some messages were already expunged");
            return;
        }
        s.complete(c, null, "Fetch completed");
    }

    private static long expungedModSeq(SelectedMailbox sel, long[] memo) {
        if (memo[0] == 0) {
            try {
                memo[0] = sel.mailbox().status().highestModSeq();
            } catch (dev.mailkit.store.MailStoreException e) {
                memo[0] = sel.view().highestModSeq(); // the mailbox was deleted
            }
        }
        return memo[0];
    }

    private static boolean needsStructure(FetchRequest r) {
        return r.has(FetchAttribute.BODY) || r.has(FetchAttribute.BODYSTRUCTURE) || r.needsContent();
    }
}
