package dev.mailkit.imap.internal.exec;

import dev.mailkit.imap.internal.command.FetchAttribute;
import dev.mailkit.imap.internal.command.FetchRequest;
import dev.mailkit.imap.internal.encode.FetchResponseWriter;
import dev.mailkit.imap.internal.session.ImapSession;
import dev.mailkit.imap.internal.session.NotifyWatch;
import dev.mailkit.imap.internal.session.SelectedMailbox;
import dev.mailkit.imap.internal.store.StoreFlags;
import dev.mailkit.imap.internal.store.StoreMessage;

import java.io.IOException;
import java.util.Optional;

/**
 * The FETCH responses NOTIFY's {@code MessageNew (fetch-att ...)} asks for (RFC 5465 5.1), written after the EXISTS
 * that announces new messages in the selected mailbox. The attributes never set {@code \Seen} (the parser refuses
 * those that would); a message expunged before its turn is left out (its EXPUNGE follows). Immutable.
 */
final class NotifyFetch implements NotifyWatch.NewMessages {
    private final FetchRequest request;

    NotifyFetch(FetchRequest request) {
        this.request = request;
    }

    @Override
    public void write(ImapSession s, int fromSeq, int toSeq) throws IOException {
        SelectedMailbox sel = s.selected();
        FetchRequest req = s.qresync() || s.rev2() ? request.withFirst(FetchAttribute.UID) : request; // RFC 9051 7.5.2
        FetchResponseWriter writer = new FetchResponseWriter(s.config().zone());
        boolean structure = req.has(FetchAttribute.BODY) || req.has(FetchAttribute.BODYSTRUCTURE)
                || req.needsContent();
        for (int seq = fromSeq; seq <= toSeq; seq++) {
            Optional<StoreMessage> m = sel.message(seq, sel.view().uid(seq));
            if (m.isEmpty()) {
                continue;
            }
            StoreMessage msg = m.get();
            try {
                msg.prepare(req.has(FetchAttribute.ENVELOPE), structure, req.needsContent());
            } catch (StoreMessage.ExpungedException e) {
                continue;
            }
            try {
                writer.write(s.out(), seq, req, msg, StoreFlags.toImap(msg.info().flags(), sel.isRecent(seq)),
                        false);
            } finally {
                msg.release();
            }
        }
    }
}
