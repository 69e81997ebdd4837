package dev.mailkit.imap.internal.exec;

import dev.mailkit.imap.internal.command.IdleCommand;
import dev.mailkit.imap.internal.session.CommandHandler;
import dev.mailkit.imap.internal.session.ImapSession;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * IDLE (RFC 2177): a continuation request, then untagged updates as they happen until the client sends DONE. While
 * idling, the session thread waits for the client's line and releases the write lock, so that another thread can
 * write mailbox updates.
 */
final class IdleHandler implements CommandHandler<IdleCommand> {
    @Override
    public void handle(IdleCommand c, ImapSession s) throws IOException {
        // idling before the continuation goes out: a change that arrives from now on wakes the notifier, whose
        // update waits for the write lock; one that arrived before is pending and reported right here
        s.setIdling(true);
        byte[] line;
        try {
            s.out().ascii("+ idling").crlf();
            s.reportUpdates(true);
            s.out().flush();
            s.writeLock().unlock();
            try {
                line = s.reader().readRawLine();
            } finally {
                s.writeLock().lock();
            }
        } finally {
            s.setIdling(false);
        }
        if (line == null) {
            s.logout();
            return;
        }
        if (!s.reader().lineOverflowed() && new String(line, StandardCharsets.US_ASCII).equalsIgnoreCase("DONE")) {
            s.out().tagged(c.tag(), "OK", null, "IDLE terminated");
        } else {
            s.out().tagged(c.tag(), "BAD", null, "Expected DONE to end IDLE");
        }
    }
}
