package dev.mailkit.smtp;

/**
 * What the receiver does with a bare CR or a bare LF (one not part of a CRLF pair) in message content (DATA or
 * BDAT). Either way, DATA ends only on a real CRLF.CRLF, so SMTP smuggling (CVE-2023-51764 class) cannot split one
 * transaction into two messages.
 */
public enum BareLineEndings {
    /** Refuse the message with {@code 550 5.6.0} once it has been read to its end (the default). */
    REJECT,
    /** Accept the message, turning each bare CR or LF into CRLF before anything is stored or relayed. */
    NORMALIZE
}
