package dev.mailkit.imap.internal.session;

import dev.mailkit.imap.internal.command.Command;
import dev.mailkit.imap.internal.protocol.ParseException;
import dev.mailkit.imap.internal.protocol.StorageRefusal;
import dev.mailkit.store.MailStoreException;

import java.io.IOException;

/** Maps the store's refusals onto tagged NO responses with the RFC 5530 response codes. */
public final class StoreErrors {
    private StoreErrors() {
    }

    /** The response code for a store refusal. */
    public static String code(MailStoreException e) {
        return switch (e.reason()) {
            case NOT_FOUND -> "NONEXISTENT";
            case ALREADY_EXISTS -> "ALREADYEXISTS";
            case INVALID_NAME, NOT_ALLOWED -> "CANNOT";
            case READ_ONLY -> null;
            case OVER_QUOTA -> "OVERQUOTA";
            case LIMIT -> "LIMIT";
            case IN_USE -> "INUSE";
            case IO_ERROR -> "UNAVAILABLE"; // storage down or failing: temporary, nothing was changed
        };
    }

    /**
     * Writes {@code tag NO [code] message}; a store failure because the disk is full or read-only says so
     * ({@link StorageRefusal}), never {@code [SERVERBUG]}.
     */
    public static void reply(ImapSession s, Command c, MailStoreException e) throws IOException {
        if (e.reason() == MailStoreException.Reason.IO_ERROR && StorageRefusal.isStorageCondition(e)) {
            storage(s, c, e);
            return;
        }
        String text = e.reason() == MailStoreException.Reason.READ_ONLY ? "Mailbox is read-only" : e.getMessage();
        s.out().tagged(c.tag(), "NO", code(e), text == null ? c.name() + " failed" : text);
    }

    /** Writes the tagged NO for a failure because the disk is full or read-only. */
    public static void storage(ImapSession s, Command c, Throwable e) throws IOException {
        ParseException r = StorageRefusal.of(e);
        s.out().tagged(c.tag(), "NO", r.code(), r.getMessage());
    }
}
