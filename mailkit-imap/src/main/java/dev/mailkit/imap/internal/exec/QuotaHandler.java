package dev.mailkit.imap.internal.exec;

import dev.mailkit.imap.internal.command.QuotaCommand;
import dev.mailkit.imap.internal.session.CommandHandler;
import dev.mailkit.imap.internal.session.ImapSession;
import dev.mailkit.store.MailStoreException;
import dev.mailkit.store.Quota;

import java.io.IOException;

/**
 * QUOTA (RFC 9208): each account has one quota root, {@code ""}, covering all its mailboxes, with STORAGE (in KiB)
 * and MESSAGE limits when the store sets them. Limits come from the store's configuration: SETQUOTA is refused.
 */
final class QuotaHandler implements CommandHandler<QuotaCommand> {
    @Override
    public void handle(QuotaCommand c, ImapSession s) throws IOException {
        switch (c.kind()) {
            case SETQUOTA -> s.out().tagged(c.tag(), "NO", "CANNOT", "Quotas are set by the server's configuration");
            case GETQUOTA -> {
                if (!c.argument().isEmpty()) {
                    s.out().tagged(c.tag(), "NO", "NONEXISTENT", "No such quota root: " + c.argument());
                    return;
                }
                quota(s, s.account().quota());
                s.complete(c, null, "Getquota completed");
            }
            case GETQUOTAROOT -> {
                try {
                    if (!s.account().exists(MailboxNames.of(c.argument()))) {
                        s.out().tagged(c.tag(), "NO", "NONEXISTENT", "Mailbox doesn't exist: " + c.argument());
                        return;
                    }
                } catch (MailStoreException e) {
                    if (e.reason() != MailStoreException.Reason.NOT_FOUND
                            && e.reason() != MailStoreException.Reason.INVALID_NAME) {
                        throw e;
                    }
                    s.out().tagged(c.tag(), "NO", "NONEXISTENT", "Mailbox doesn't exist: " + c.argument());
                    return;
                }
                s.out().ascii("* QUOTAROOT ").mailbox(c.argument()).ascii(" \"\"").crlf();
                quota(s, s.account().quota());
                s.complete(c, null, "Getquotaroot completed");
            }
            default -> throw new AssertionError(c.kind());
        }
    }

    private static void quota(ImapSession s, Quota q) throws IOException {
        var out = s.out();
        out.ascii("* QUOTA \"\" (");
        boolean first = true;
        if (q.limits().maxBytes() != dev.mailkit.store.QuotaLimits.UNLIMITED_VALUE) {
            out.ascii("STORAGE ").number((q.usedBytes() + 1023) / 1024).sp().number(q.limits().maxBytes() / 1024);
            first = false;
        }
        if (q.limits().maxMessages() != dev.mailkit.store.QuotaLimits.UNLIMITED_VALUE) {
            if (!first) {
                out.sp();
            }
            out.ascii("MESSAGE ").number(q.usedMessages()).sp().number(q.limits().maxMessages());
        }
        out.write(')').crlf();
    }
}
