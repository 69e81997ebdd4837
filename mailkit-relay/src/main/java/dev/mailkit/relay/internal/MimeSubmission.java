package dev.mailkit.relay.internal;

import dev.mailkit.core.Envelope;
import dev.mailkit.core.MailAddress;
import dev.mailkit.core.MessageSource;
import dev.mailkit.core.MessageSpool;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import java.io.IOException;

/**
 * What the relay takes from a Jakarta Mail message: its bytes as Jakarta Mail's own transport sends them, and an
 * envelope read from its header.
 */
public final class MimeSubmission {
    private MimeSubmission() {
    }

    /**
     * The message as {@link MimeMessage#writeTo} writes it, without {@code Bcc:} and {@code Content-Length:}, in the
     * spool; nothing is left behind if that fails.
     */
    public static MessageSource spool(MessageSpool spool, MimeMessage message) throws IOException,
            MessagingException {
        MessageSpool.Writer w = spool.newWriter();
        try {
            message.writeTo(w, new String[] {"Bcc", "Content-Length"});
            return w.finish();
        } catch (IOException | MessagingException | RuntimeException e) {
            w.abort();
            throw e;
        }
    }

    /**
     * The envelope in the header: the reverse-path is the {@code Sender:} or else the first {@code From:} address,
     * the recipients are every {@code To:}, {@code Cc:} and {@code Bcc:} address.
     *
     * @throws IllegalArgumentException if there is no sender or no recipient, or an address is not a valid mailbox
     */
    public static Envelope envelopeOf(MimeMessage message) throws MessagingException {
        Address sender = message.getSender();
        if (sender == null) {
            Address[] from = message.getFrom();
            sender = from == null || from.length == 0 ? null : from[0];
        }
        if (!(sender instanceof InternetAddress)) {
            throw new IllegalArgumentException("the message has no From: (or Sender:) address to use as reverse-path; "
                    + "set one, or pass an Envelope");
        }
        Envelope.Builder b = Envelope.builder().reversePath(MailAddress.parse(((InternetAddress) sender).getAddress()));
        Address[] rcpts = message.getAllRecipients();
        if (rcpts == null || rcpts.length == 0) {
            throw new IllegalArgumentException("the message has no To:, Cc: or Bcc: recipient");
        }
        for (Address a : rcpts) {
            if (a instanceof InternetAddress) {
                b.recipient(MailAddress.parse(((InternetAddress) a).getAddress()));
            }
        }
        return b.build();
    }
}
