package dev.mailkit.imap.internal.message;

/**
 * The header field values ENVELOPE is built from (RFC 3501 7.4.2), as they appear in the message (unfolded, not
 * decoded), null when the field is absent. Address fields are parsed when rendered.
 */
public interface EnvelopeFields {
    String date();

    String subject();

    String from();

    String sender();

    String replyTo();

    String to();

    String cc();

    String bcc();

    String inReplyTo();

    String messageId();

    /** A simple immutable implementation. */
    record Of(String date, String subject, String from, String sender, String replyTo, String to, String cc,
              String bcc, String inReplyTo, String messageId) implements EnvelopeFields {
    }
}
