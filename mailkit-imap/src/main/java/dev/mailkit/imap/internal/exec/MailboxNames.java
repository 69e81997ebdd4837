package dev.mailkit.imap.internal.exec;

import dev.mailkit.store.MailboxName;

/** Mailbox names from commands: one trailing hierarchy delimiter is ignored (RFC 3501 6.3.3). */
final class MailboxNames {
    private MailboxNames() {
    }

    /** The store's name for what the client sent (throws the store's INVALID_NAME refusal). */
    static MailboxName of(String name) {
        if (name.length() > 1 && name.charAt(name.length() - 1) == MailboxName.DELIMITER) {
            name = name.substring(0, name.length() - 1);
        }
        return MailboxName.of(name);
    }
}
