package dev.mailkit.relay.internal;

import dev.mailkit.relay.spi.QueueStorage;

import dev.mailkit.core.MailAddress;
import dev.mailkit.core.TlsInfo;
import dev.mailkit.core.mime.CrlfOutputStream;
import dev.mailkit.relay.TlsPolicyResult;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * The relay's SMTP client: one connection to one remote server, used for any number of transactions. It speaks
 * ESMTP with PIPELINING (RFC 2920) when offered, STARTTLS (certificate and host name verified when TLS is required),
 * AUTH PLAIN/LOGIN for smart hosts, SIZE, 8BITMIME, SMTPUTF8 and DSN (RFC 3461: RET, ENVID, NOTIFY and ORCPT
 * passed on). Content is sent with CRLF line ends only and dot-stuffed ({@link CrlfOutputStream}), so no bare CR or
 * LF ever leaves mailkit. Every step has a timeout; writes are guarded by the {@link Watchdog}. Used by one thread at
 * a time.
 *
 * <p>The work is shared out: {@link SmtpChannel} is the command conversation (with {@link ReplyReader} parsing the
 * replies), {@link Negotiation} opens the session (greeting, EHLO, {@link StartTls}, AUTH), and
 * {@link MailTransactions} sends the messages.
 */
public final class SmtpConnection implements Closeable {
    private final SmtpChannel channel;
    private final TlsInfo tls;
    private final MailTransactions transactions;
    private final long openedNanos;
    private volatile TlsPolicyResult tlsPolicy;

    private SmtpConnection(SmtpChannel channel, Negotiation session, MailTransactions transactions, long openedNanos) {
        this.channel = channel;
        this.tls = session.tls;
        this.transactions = transactions;
        this.openedNanos = openedNanos;
    }

    /**
     * Connects, reads the greeting, says EHLO, starts TLS and authenticates as the settings ask.
     *
     * @param remoteHost the name of the server (for TLS verification and reports)
     * @throws SessionFailure if the server cannot be used; the message says why, in Postfix's words where possible
     */
    public static SmtpConnection open(String remoteHost, InetSocketAddress address, ClientSettings settings,
                                      Watchdog watchdog) throws SessionFailure {
        long opened = System.nanoTime();
        String who = remoteHost + "[" + address.getAddress().getHostAddress() + "]:" + address.getPort();
        SmtpChannel ch = SmtpChannel.connect(address, settings, who, watchdog);
        try {
            Negotiation session = Negotiation.run(ch, remoteHost, address.getPort(), settings);
            return new SmtpConnection(ch, session, new MailTransactions(ch, settings, session, remoteHost, address),
                    opened);
        } catch (SessionFailure | RuntimeException e) {
            ch.close();
            throw e;
        } catch (IOException e) {
            ch.close();
            throw new SessionFailure("lost connection with " + who + " during the greeting: " + Text.describe(e),
                    null, "4.4.2", e);
        }
    }

    /**
     * Sends one message to the given recipients and reports each recipient's outcome. The connection stays usable
     * afterwards unless {@link #isUsable} says otherwise.
     */
    public List<Outcome> send(StoredMessage m, List<MailAddress> rcpts, QueueStorage store) {
        List<Outcome> out = transactions.send(m, rcpts, store);
        TlsPolicyResult p = tlsPolicy;
        if (p == null) {
            return out;
        }
        List<Outcome> annotated = new java.util.ArrayList<>(out.size());
        for (Outcome o : out) {
            annotated.add(o.withTlsPolicy(p));
        }
        return annotated;
    }

    /** What the destination's TLS policy made of this connection: reported with every outcome sent over it. */
    void tlsPolicy(TlsPolicyResult p) {
        this.tlsPolicy = p;
    }

    /** The TLS session, or null in plaintext. */
    TlsInfo tls() {
        return tls;
    }

    /**
     * Whether the last transaction failed because the connection was gone before the server answered anything in it
     * (typically a reused connection the server had closed): then it may be repeated on a new connection.
     */
    public boolean lostBeforeReply() {
        return transactions.lostBeforeReply();
    }

    /** The number of transactions started on this connection. */
    public int transactions() {
        return transactions.started();
    }

    /** Whether another transaction may use this connection. */
    public boolean isUsable(Duration maxAge, int maxTransactions) {
        return channel.isUsable() && transactions.started() < maxTransactions
                && System.nanoTime() - openedNanos < maxAge.toNanos();
    }

    /** Says QUIT (briefly waiting for the reply) and closes. */
    public void quit() {
        if (channel.isUsable()) {
            try {
                channel.setDeadline(Duration.ofSeconds(2));
                channel.write("QUIT");
                channel.flush();
                channel.readReply(Duration.ofSeconds(2));
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        abort();
    }

    @Override
    public void close() {
        quit();
    }

    /** Closes the socket at once. */
    void abort() {
        channel.close();
    }

    @Override
    public String toString() {
        return "SmtpConnection{" + channel.who() + (tls != null ? " " + tls : "") + "}";
    }
}
