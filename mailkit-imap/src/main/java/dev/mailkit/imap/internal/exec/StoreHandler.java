package dev.mailkit.imap.internal.exec;

import dev.mailkit.imap.internal.command.StoreCommand;
import dev.mailkit.imap.internal.encode.Responses;
import dev.mailkit.imap.internal.session.CommandHandler;
import dev.mailkit.imap.internal.session.ImapSession;
import dev.mailkit.imap.internal.session.SelectedMailbox;
import dev.mailkit.imap.internal.store.StoreFlags;
import dev.mailkit.store.FlagOperation;
import dev.mailkit.store.Flags;
import dev.mailkit.store.MailStoreException;
import dev.mailkit.store.StoreResult;
import dev.mailkit.store.UidSet;

import java.io.IOException;

/**
 * STORE and UID STORE (RFC 3501 6.4.6) with CONDSTORE's UNCHANGEDSINCE and MODIFIED (RFC 7162 3.1.3): one store
 * operation for the whole set, then a FETCH response per message unless .SILENT.
 */
final class StoreHandler implements CommandHandler<StoreCommand> {
    @Override
    public void handle(StoreCommand c, ImapSession s) throws IOException {
        SelectedMailbox sel = s.selected();
        UidSet uids;
        try {
            uids = sel.resolve(c.set(), c.uid());
        } catch (SelectedMailbox.InvalidSetException e) {
            s.out().tagged(c.tag(), "BAD", null, "Error in IMAP command " + c.name() + ": Invalid messageset");
            return;
        }
        if (sel.readOnly()) {
            // EXAMINE: nothing may change; like Dovecot, the STORE is a successful no-op
            s.complete(c, null, "Store completed");
            return;
        }
        if (c.unchangedSince() >= 0) {
            s.enableCondstore();
        }
        Flags flags;
        try {
            flags = StoreFlags.toStore(c.flags());
        } catch (MailStoreException | IllegalArgumentException e) {
            s.out().tagged(c.tag(), "BAD", null, "Invalid flags: " + e.getMessage());
            return;
        }
        FlagOperation op = switch (c.action()) {
            case ADD -> FlagOperation.ADD;
            case REMOVE -> FlagOperation.REMOVE;
            case REPLACE -> FlagOperation.REPLACE;
        };
        StoreResult result = uids.isEmpty() ? new StoreResult(java.util.List.of(), UidSet.EMPTY)
                : sel.view().store(uids, op, flags, c.unchangedSince());
        boolean condstore = s.condstore();
        s.reportUpdates(c.uid()); // new keywords: FLAGS before the FETCH responses that use them (as Dovecot)
        boolean withUid = c.uid() || s.qresync(); // RFC 7162 3.2.4: with QRESYNC every FETCH carries its UID
        for (StoreResult.Entry e : result.updates()) {
            if (c.silent() && !(condstore && e.changed())) {
                continue;
            }
            int seq = sel.view().seq(e.uid());
            if (seq == 0) {
                continue;
            }
            if (c.silent()) {
                // .SILENT with CONDSTORE: the new MODSEQ of each changed message, without its flags (as Dovecot)
                s.out().ascii("* ").number(seq).ascii(" FETCH (");
                if (withUid) {
                    s.out().ascii("UID ").number(e.uid()).sp();
                }
                s.out().ascii("MODSEQ (").number(Math.max(e.modSeq(), sel.mailbox().message(e.uid())
                        .map(dev.mailkit.store.MessageInfo::modSeq).orElse(0L))).ascii("))").crlf();
                continue;
            }
            // another session may have changed the message since this STORE did (and the sync above may have
            // reported that already): never show the older state after a newer one (RFC 7162 3.1, RFC 3501 7.4.2)
            Flags shown = e.flags();
            long modSeq = e.modSeq();
            java.util.Optional<dev.mailkit.store.MessageInfo> now = sel.mailbox().message(e.uid());
            if (now.isPresent() && now.get().modSeq() > modSeq) {
                shown = now.get().flags();
                modSeq = now.get().modSeq();
            }
            Responses.flagUpdate(s.out(), seq, StoreFlags.toImap(shown, sel.isRecent(seq)),
                    withUid ? e.uid() : 0, condstore ? modSeq : 0);
        }
        if (!result.modified().isEmpty()) {
            s.complete(c, "MODIFIED " + modified(sel, result.modified(), c.uid()), "Conditional STORE failed");
            return;
        }
        s.complete(c, null, "Store completed");
    }

    private static String modified(SelectedMailbox sel, UidSet uids, boolean uid) {
        long[] numbers = new long[(int) Math.min(uids.size(), 1_000_000)];
        int n = 0;
        for (int i = 0; i < uids.rangeCount() && n < numbers.length; i++) {
            for (long u = uids.rangeStart(i); u <= uids.rangeEnd(i) && n < numbers.length; u++) {
                numbers[n++] = uid ? u : sel.view().seq(u);
            }
        }
        java.util.Arrays.sort(numbers, 0, n);
        return dev.mailkit.imap.internal.command.SequenceSet.formatList(java.util.Arrays.copyOf(numbers, n));
    }
}
