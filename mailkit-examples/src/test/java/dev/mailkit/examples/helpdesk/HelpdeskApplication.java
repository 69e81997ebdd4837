package dev.mailkit.examples.helpdesk;

import dev.mailkit.core.Envelope;
import dev.mailkit.core.MailAddress;
import dev.mailkit.core.MessageSource;
import dev.mailkit.core.SmtpReply;
import dev.mailkit.core.sink.DeliveryReport;
import dev.mailkit.core.sink.MessageSink;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.PropertySource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;

/**
 * A help desk that receives mail into its own database: mailkit's SMTP server (from {@code helpdesk.properties}:
 * {@code mailkit.smtp.enabled=true}, {@code mailkit.domains=helpdesk.test}) hands every message for
 * {@code support@helpdesk.test} to {@link TicketSink}, a {@link MessageSink} bean, which stores it as a row of the
 * {@code ticket} table. The sender hears {@code 250} only after the INSERT committed.
 */
@SpringBootApplication
@PropertySource("classpath:helpdesk.properties")
public class HelpdeskApplication {
    public static void main(String[] args) {
        SpringApplication.run(HelpdeskApplication.class, args);
    }

    /** A ticket as stored. */
    public record Ticket(long id, String sender, String subject, String body) {
    }

    /** The tickets, in the application's database. */
    @Component
    public static class Tickets {
        private final JdbcTemplate jdbc;

        public Tickets(JdbcTemplate jdbc) {
            this.jdbc = jdbc;
        }

        void add(String sender, String subject, String body, Timestamp received) {
            jdbc.update("insert into ticket (sender, subject, body, received_at) values (?, ?, ?, ?)",
                    sender, subject, body, received);
        }

        public List<Ticket> all() {
            return jdbc.query("select id, sender, subject, body from ticket order by id", (rs, n) ->
                    new Ticket(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)));
        }
    }

    /**
     * mailkit's message sink: the starter uses this bean instead of its delivery agent. It takes mail for
     * support@ only (others are refused at RCPT, before the message is sent) and turns each message into a ticket.
     */
    @Component
    public static class TicketSink implements MessageSink {
        private final Tickets tickets;

        public TicketSink(Tickets tickets) {
            this.tickets = tickets;
        }

        @Override
        public Optional<SmtpReply> checkRecipient(Envelope transaction, MailAddress recipient) {
            return recipient.localPart().equalsIgnoreCase("support") ? Optional.empty()
                    : Optional.of(SmtpReply.of(550, "5.1.1", "No such mailbox here; write to support@"));
        }

        @Override
        public DeliveryReport deliver(Envelope envelope, MessageSource message) throws IOException {
            try {
                MimeMessage mime = message.mimeMessage();
                InternetAddress[] from = (InternetAddress[]) mime.getFrom();
                String sender = from != null && from.length > 0 ? from[0].getAddress() : envelope.reversePathString();
                Object content = mime.getContent();
                String body = content instanceof String s ? s : "(" + mime.getContentType() + ")";
                tickets.add(sender, mime.getSubject(), body, new Timestamp(System.currentTimeMillis()));
                return DeliveryReport.allDelivered(envelope.transactionId());
            } catch (MessagingException e) {
                throw new IOException("unreadable message: " + e.getMessage(), e);
            }
        }
    }
}
