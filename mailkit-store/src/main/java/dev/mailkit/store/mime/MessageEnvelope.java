package dev.mailkit.store.mime;

/**
 * The header fields IMAP's ENVELOPE is made of (not the SMTP envelope), each the first occurrence of the field in
 * the message header, unfolded (line breaks of folded lines removed), trimmed of surrounding white space, otherwise
 * raw: encoded words are not decoded and address lists are not parsed (IMAP formats them itself). Null for a field
 * the header does not have. Header bytes that are valid UTF-8 are decoded as UTF-8, others as ISO-8859-1; values
 * are cut at 64 KiB.
 *
 * @param date      {@code Date}
 * @param subject   {@code Subject}
 * @param from      {@code From}
 * @param sender    {@code Sender}
 * @param replyTo   {@code Reply-To}
 * @param to        {@code To}
 * @param cc        {@code Cc}
 * @param bcc       {@code Bcc}
 * @param inReplyTo {@code In-Reply-To}
 * @param messageId {@code Message-ID}
 */
public record MessageEnvelope(String date, String subject, String from, String sender, String replyTo, String to,
                              String cc, String bcc, String inReplyTo, String messageId) {
    /** An envelope with no fields. */
    public static final MessageEnvelope EMPTY =
            new MessageEnvelope(null, null, null, null, null, null, null, null, null, null);
}
