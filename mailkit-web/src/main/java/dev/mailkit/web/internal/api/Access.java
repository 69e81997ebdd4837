package dev.mailkit.web.internal.api;

import dev.mailkit.core.MessageSource;
import dev.mailkit.store.AccountId;
import dev.mailkit.store.FlagOperation;
import dev.mailkit.store.Flags;
import dev.mailkit.store.MailStoreException;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.MailboxView;
import dev.mailkit.store.SystemFlag;
import dev.mailkit.store.UidSet;
import dev.mailkit.store.ViewMode;
import dev.mailkit.store.mime.MessageStructure;
import dev.mailkit.web.MessageTrace;
import dev.mailkit.web.internal.http.HttpException;
import dev.mailkit.web.internal.http.HttpRequest;
import dev.mailkit.web.internal.mail.Digest;
import dev.mailkit.web.internal.mail.Indexes;
import dev.mailkit.web.internal.mail.MailboxIndex;
import dev.mailkit.web.internal.mail.MessageId;
import dev.mailkit.web.internal.mail.MessageId.MailboxKey;

import java.util.Optional;

/**
 * Finds what a request names, after checking that the requester may see it: a mailbox (the {@code account} and
 * {@code mailbox} query parameters, mailkit's additions; by default the first account's INBOX) or a message by its
 * ID (or {@code latest}). An ID for an account the requester does not own is {@code 404}, as if it did not exist.
 * Changes go through a short-lived read-write view, so that IMAP sessions hear of them as of any other client's.
 * Thread-safe.
 */
final class Access {
    private final WebSettings settings;
    private final Indexes indexes;

    Access(WebSettings settings, Indexes indexes) {
        this.settings = settings;
        this.indexes = indexes;
    }

    /** A message found: its ID, the index of its mailbox and its digest. */
    static final class Found {
        final MessageId id;
        final MailboxIndex index;
        final Digest digest;

        Found(MessageId id, MailboxIndex index, Digest digest) {
            this.id = id;
            this.index = index;
            this.digest = digest;
        }
    }

    /** The mailbox a list or search request is about. */
    MailboxKey mailbox(HttpRequest r, Principal p) {
        AccountId account = p.defaultAccount();
        String a = r.query("account");
        if (a != null && !a.isEmpty()) {
            try {
                account = AccountId.parse(a);
            } catch (MailStoreException e) {
                throw new HttpException(404, "no such account");
            }
            if (!p.sees(account)) {
                throw new HttpException(404, "no such account");
            }
        }
        String m = r.query("mailbox");
        MailboxName name = MailboxName.INBOX;
        if (m != null && !m.isEmpty()) {
            try {
                name = MailboxName.of(m);
            } catch (MailStoreException e) {
                throw new HttpException(400, "invalid mailbox name");
            }
        }
        return new MailboxKey(account, name);
    }

    /** The index of a mailbox the requester may see; 404 if it does not exist. */
    MailboxIndex index(MailboxKey key, Principal p) {
        if (!p.sees(key.account())) {
            throw new HttpException(404, "no such mailbox");
        }
        try {
            return indexes.get(key);
        } catch (MailStoreException e) {
            throw new HttpException(404, "no such mailbox");
        }
    }

    /** A message by ID or {@code latest} (the newest of the default INBOX, or of the request's mailbox). */
    Found find(HttpRequest r, Principal p, String idText) {
        if ("latest".equals(idText)) {
            MailboxIndex idx = index(mailbox(r, p), p);
            MailboxIndex.Snapshot s = idx.current();
            if (s.size() == 0) {
                throw new HttpException(404, "message not found");
            }
            Digest d = s.get(s.size() - 1);
            return new Found(new MessageId(idx.key(), idx.mailbox().uidValidity(), d.uid), idx, d);
        }
        MessageId id = MessageId.parse(idText);
        if (id == null || !p.sees(id.mailbox().account())) {
            throw new HttpException(404, "message not found");
        }
        MailboxIndex idx;
        try {
            idx = indexes.get(id.mailbox());
        } catch (MailStoreException e) {
            throw new HttpException(404, "message not found");
        }
        if (idx.mailbox().uidValidity() != id.uidValidity()) {
            throw new HttpException(404, "message not found");
        }
        Digest d = idx.current().find(id.uid());
        if (d == null) {
            throw new HttpException(404, "message not found");
        }
        return new Found(id, idx, d);
    }

    /** The SMTP envelope of a message, shown only on an open test inbox or to the user who sent it. */
    Optional<MessageTrace> trace(Principal p, Digest d) {
        if (settings.trace == null || d.transactionId.isEmpty()) {
            return Optional.empty();
        }
        Optional<MessageTrace> t = settings.trace.find(d.transactionId);
        if (p.isOpen() || t.isEmpty()) {
            return t;
        }
        String sender = t.get().envelope().authenticatedUser().orElse("");
        return sender.equalsIgnoreCase(p.user.username()) || sender.equalsIgnoreCase(p.user.address().toString())
                ? t : Optional.empty();
    }

    /** The message's content; 404 if it went away meanwhile. The caller closes it. */
    static MessageSource content(Found f) {
        return f.index.mailbox().content(f.id.uid()).orElseThrow(() -> new HttpException(404, "message not found"));
    }

    /** The message's MIME structure. */
    static MessageStructure structure(Found f) {
        return f.index.mailbox().structure(f.id.uid()).orElseThrow(() -> new HttpException(404, "message not found"));
    }

    /** Changes flags; the index is synced before this returns. */
    static void flags(MailboxIndex idx, UidSet uids, FlagOperation op, Flags flags) {
        if (uids.isEmpty()) {
            return;
        }
        try (MailboxView v = idx.mailbox().openView(ViewMode.READ_WRITE)) {
            v.store(uids, op, flags);
        } catch (MailStoreException e) {
            throw new HttpException(e.reason() == MailStoreException.Reason.NOT_FOUND ? 404 : 400, e.getMessage());
        }
        idx.sync();
    }

    /** Deletes messages (expunges them); returns how many went. */
    static int delete(MailboxIndex idx, UidSet uids) {
        if (uids.isEmpty()) {
            return 0;
        }
        int n;
        try (MailboxView v = idx.mailbox().openView(ViewMode.READ_WRITE)) {
            v.store(uids, FlagOperation.ADD, Flags.of(SystemFlag.DELETED));
            n = v.expunge(uids).count();
        } catch (MailStoreException e) {
            throw new HttpException(e.reason() == MailStoreException.Reason.NOT_FOUND ? 404 : 400, e.getMessage());
        }
        idx.sync();
        return n;
    }
}
