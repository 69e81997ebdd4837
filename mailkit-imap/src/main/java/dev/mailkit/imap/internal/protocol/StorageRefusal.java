package dev.mailkit.imap.internal.protocol;

import java.nio.file.FileSystemException;
import java.util.Locale;

/**
 * The IMAP refusal for a message that could not be written locally, as Dovecot answers it: {@code NO [OVERQUOTA] Not
 * enough disk space} when the file system is full (ENOSPC, EDQUOT), {@code NO [UNAVAILABLE] Mailbox storage is
 * read-only, try again later} when it takes no writes (EROFS; RFC 5530's code for a temporary failure of a
 * subsystem), otherwise {@code NO [UNAVAILABLE]}: a condition of the server's machine, never a {@code [SERVERBUG]}.
 * Stateless.
 */
public final class StorageRefusal {
    private StorageRefusal() {
    }

    /** Whether {@code e} (or a cause) says the file system is full or read-only. */
    public static boolean isStorageCondition(Throwable e) {
        return reason(e) != null;
    }

    /** The tagged NO for a storage failure. */
    public static ParseException of(Throwable e) {
        String r = reason(e);
        if ("full".equals(r)) {
            return ParseException.no("OVERQUOTA", "Not enough disk space");
        }
        if ("read-only".equals(r)) {
            return ParseException.no("UNAVAILABLE", "Mailbox storage is read-only, try again later");
        }
        return ParseException.no("UNAVAILABLE", "Cannot store the message now, try again later");
    }

    private static String reason(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t instanceof FileSystemException f ? f.getReason() : t.getMessage();
            if (m != null) {
                String l = m.toLowerCase(Locale.ROOT);
                if (l.contains("no space left") || l.contains("quota exceeded")) {
                    return "full";
                }
                if (l.contains("read-only file system")) {
                    return "read-only";
                }
            }
        }
        return null;
    }
}
