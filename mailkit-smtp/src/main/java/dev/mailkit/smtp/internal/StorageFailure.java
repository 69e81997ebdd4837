package dev.mailkit.smtp.internal;

import dev.mailkit.core.SmtpReply;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.util.Locale;

/**
 * The reply for a message that could not be written locally: {@code 452 4.3.1 Insufficient system storage} when the
 * file system is full (ENOSPC, EDQUOT), as Postfix says it, {@code 451 4.3.0 Mail storage is read-only, try again
 * later} when it takes no writes (EROFS: remounted read-only after an error, a read-only mount), otherwise
 * {@code 451 4.3.0}. Either way nothing was acknowledged and the client keeps the message and retries. Stateless.
 */
public final class StorageFailure {
    private StorageFailure() {
    }

    /** Whether the failure says the file system has no room or takes no writes. */
    public static boolean isOutOfStorage(Throwable e) {
        return says(e, "no space left") || says(e, "quota exceeded") || isReadOnly(e);
    }

    /** Whether the failure says the file system takes no writes (EROFS). */
    public static boolean isReadOnly(Throwable e) {
        return says(e, "read-only file system");
    }

    private static boolean says(Throwable e, String text) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t instanceof FileSystemException f ? f.getReason() : t.getMessage();
            if (m != null && m.toLowerCase(Locale.ROOT).contains(text)) {
                return true;
            }
        }
        return false;
    }

    /** The reply for a message that could not be stored because of {@code e}. */
    public static SmtpReply reply(Throwable e) {
        if (isReadOnly(e)) {
            return SmtpReply.of(451, "4.3.0", "Mail storage is read-only, try again later");
        }
        return isOutOfStorage(e) ? SmtpReply.of(452, "4.3.1", "Insufficient system storage")
                : SmtpReply.of(451, "4.3.0", "Temporary failure storing the message, try again later");
    }
}
