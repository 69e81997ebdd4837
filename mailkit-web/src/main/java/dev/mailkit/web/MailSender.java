package dev.mailkit.web;

import dev.mailkit.core.Envelope;
import dev.mailkit.core.MessageSource;
import dev.mailkit.core.outbound.OutboundQueue;
import dev.mailkit.web.internal.SmtpSender;

import java.io.IOException;
import java.util.Objects;

import javax.net.ssl.SSLContext;

/**
 * Where the web server hands a message it sends: a message written in the inbox or posted to {@code /api/v1/send}
 * ({@link WebServer.Builder#submission(MailSender)}), or a captured message released to another server
 * ({@link WebServer.Builder#release(MailSender)}). Two are built in: {@link #queue(OutboundQueue)} (mailkit's relay
 * queue: local recipients delivered, remote ones relayed with DKIM and retries, as for any submission client) and
 * {@link #smtp(String, int)} (an SMTP server, for example mailkit's own test server or a real MTA).
 *
 * <p>Implementations must be thread-safe; the web server calls them from many requests at once.
 */
@FunctionalInterface
public interface MailSender {
    /**
     * Sends a message; returns when the next hop has taken responsibility for it.
     *
     * @param envelope the reverse-path and every recipient (BCC included); {@code authenticatedUser} names the
     *                 web user who sent it, {@code transactionId} the id the delivery trace knows it by
     * @param message  the message, CRLF line ends
     * @return an id for the sent message (a queue id, the SMTP server's reply, ...)
     * @throws IOException if the message was not accepted; the text is shown to the user
     */
    String send(Envelope envelope, MessageSource message) throws IOException;

    /** Through an outbound queue (such as mailkit-relay's {@code RelayQueue}): prepared and committed at once. */
    static MailSender queue(OutboundQueue queue) {
        Objects.requireNonNull(queue, "queue");
        return new MailSender() {
            @Override
            public String send(Envelope envelope, MessageSource message) throws IOException {
                try (OutboundQueue.Prepared p = queue.prepare(envelope, message)) {
                    return p.commit();
                }
            }

            @Override
            public String toString() {
                return "queue " + queue;
            }
        };
    }

    /**
     * To an SMTP server without TLS or AUTH (a test server, or an MTA on loopback that trusts this host). The
     * message's bytes are sent as they are; each send is one connection (30 s timeouts).
     */
    static MailSender smtp(String host, int port) {
        return new SmtpSender(host, port, null, false, null, null);
    }

    /**
     * To an SMTP server with STARTTLS required (the server's certificate checked against {@code trust}, or the
     * JVM's trust store when null) and, when {@code user} is not null, AUTH.
     */
    static MailSender smtpStartTls(String host, int port, SSLContext trust, String user, String password) {
        return new SmtpSender(host, port, trust, true, user, password);
    }
}
