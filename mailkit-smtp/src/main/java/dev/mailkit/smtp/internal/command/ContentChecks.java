package dev.mailkit.smtp.internal.command;

import dev.mailkit.core.SmtpReply;
import dev.mailkit.smtp.internal.SmtpConfig;

/** The replies for message content that broke a limit or a framing rule, shared by DATA and BDAT. */
final class ContentChecks {
    private ContentChecks() {
    }

    /** The refusal for content with the given defects, or null if it is acceptable. */
    static SmtpReply refusal(SmtpConfig c, boolean oversize, boolean lineTooLong, boolean bare) {
        if (oversize) {
            return SmtpReply.of(552, "5.3.4", "Message size exceeds fixed limit of " + c.maxMessageSize + " octets");
        }
        if (bare) {
            return SmtpReply.of(550, "5.6.0",
                    "Message contains a bare CR or LF; lines must end with CRLF (RFC 5321 2.3.8)");
        }
        if (lineTooLong) {
            return SmtpReply.of(550, "5.6.0", "Message has a line longer than " + c.maxLineLength
                    + " octets (RFC 5321 4.5.3.1.6)");
        }
        return null;
    }
}
