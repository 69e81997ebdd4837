package dev.mailkit.relay.internal;

import dev.mailkit.relay.spi.LeaseLostException;
import dev.mailkit.relay.spi.QueueStorage;

import dev.mailkit.core.MailAddress;
import dev.mailkit.core.TlsInfo;
import dev.mailkit.core.mime.CrlfOutputStream;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;

/**
 * The mail transactions (RFC 5321 3.3) of one session: MAIL, RCPT and DATA, pipelined (RFC 2920) when the server
 * offers it, with SIZE, BODY=8BITMIME, SMTPUTF8 and the DSN parameters (RFC 3461) where offered; the content streamed
 * from the queue with CRLF line ends and dot-stuffing ({@link CrlfOutputStream}) under the data deadline; and one
 * {@link Outcome} per recipient from the replies: a refused recipient by its RCPT reply, the others by the reply to
 * the end of DATA. A transaction that went wrong is reset with RSET, or leaves the channel broken; a server that
 * asks for content when no recipient was accepted is given none. Used by one thread at a time.
 */
final class MailTransactions {
    private final SmtpChannel ch;
    private final ClientSettings settings;
    private final Extensions ext;
    private final String remoteHost;
    private final InetSocketAddress remoteAddress;
    private final TlsInfo tls;
    private byte[] dataBuffer;
    private int started;
    private boolean lostBeforeReply;

    MailTransactions(SmtpChannel ch, ClientSettings settings, Negotiation session, String remoteHost,
                     InetSocketAddress remoteAddress) {
        this.ch = ch;
        this.settings = settings;
        this.ext = session.extensions;
        this.tls = session.tls;
        this.remoteHost = remoteHost;
        this.remoteAddress = remoteAddress;
    }

    /** Sends one message to the given recipients and reports each recipient's outcome, in their order. */
    List<Outcome> send(StoredMessage m, List<MailAddress> rcpts, QueueStorage store) {
        started++;
        lostBeforeReply = false;
        List<Outcome> results = new ArrayList<>(rcpts.size());
        if (m.needsSmtpUtf8 && !ext.has("SMTPUTF8")) {
            // RFC 6531 3.7.5: 5.6.7 for a non-ASCII address, 5.6.9 for a UTF-8 header that cannot be transferred
            boolean address = m.reversePath != null && m.reversePath.isSmtpUtf8()
                    || rcpts.stream().anyMatch(MailAddress::isSmtpUtf8);
            for (MailAddress r : rcpts) {
                results.add(outcome(r, Outcome.Kind.BOUNCED, address ? "5.6.7" : "5.6.9", "SMTPUTF8 is required ("
                        + (address ? "non-ASCII address" : "UTF-8 header fields") + "), but was not offered by host "
                        + ch.who()));
            }
            return results;
        }
        if (ext.sizeLimit() > 0 && m.contentLength > ext.sizeLimit()) {
            for (MailAddress r : rcpts) {
                results.add(outcome(r, Outcome.Kind.BOUNCED, "5.3.4", "message size " + m.contentLength
                        + " exceeds size limit " + ext.sizeLimit() + " of host " + ch.who()));
            }
            return results;
        }
        boolean dsn = ext.has("DSN");
        String stage = "MAIL FROM";
        Reply[] rcptReplies = new Reply[rcpts.size()];
        boolean dataSent = false;
        try {
            Reply mailReply;
            Reply dataReply = null;
            if (ext.has("PIPELINING")) {
                ch.setDeadline(settings.commandTimeout);
                ch.write(mailLine(m, dsn));
                for (MailAddress r : rcpts) {
                    ch.write(rcptLine(m, r, dsn));
                }
                ch.write("DATA");
                ch.flush();
                mailReply = ch.readReply(settings.commandTimeout);
                stage = "RCPT TO";
                for (int i = 0; i < rcpts.size(); i++) {
                    rcptReplies[i] = ch.readReply(settings.commandTimeout);
                }
                stage = "DATA";
                dataReply = ch.readReply(settings.commandTimeout);
            } else {
                mailReply = ch.command(mailLine(m, dsn));
                if (mailReply.isPositive()) {
                    stage = "RCPT TO";
                    for (int i = 0; i < rcpts.size(); i++) {
                        rcptReplies[i] = ch.command(rcptLine(m, rcpts.get(i), dsn));
                    }
                }
            }
            if (!mailReply.isPositive()) {
                for (MailAddress r : rcpts) {
                    results.add(fromReply(r, mailReply, "MAIL FROM"));
                }
                return endRefused(results, dataReply);
            }
            if (!anyPositive(rcptReplies)) {
                for (int i = 0; i < rcpts.size(); i++) {
                    results.add(fromReply(rcpts.get(i), rcptReplies[i], "RCPT TO"));
                }
                return endRefused(results, dataReply);
            }
            if (dataReply == null) {
                stage = "DATA";
                dataReply = ch.command("DATA");
            }
            Reply finalReply;
            if (dataReply.code != 354) {
                finalReply = dataReply;
                reset();
            } else {
                stage = "end of DATA";
                ch.setDeadline(settings.dataTimeout);
                try (InputStream content = store.content(m.id)) {
                    sendContent(content);
                    dataSent = true;
                }
                finalReply = ch.readReply(settings.dataTimeout);
            }
            for (int i = 0; i < rcpts.size(); i++) {
                if (rcptReplies[i].isPositive()) {
                    Outcome o = fromReply(rcpts.get(i), finalReply, stage);
                    results.add(dsn && o.kind == Outcome.Kind.DELIVERED ? o.withDsnPassedOn() : o);
                } else {
                    results.add(fromReply(rcpts.get(i), rcptReplies[i], "RCPT TO"));
                }
            }
            return results;
        } catch (IOException e) {
            return lost(e, stage, dataSent, rcpts, rcptReplies, results);
        } finally {
            ch.clearDeadline();
        }
    }

    /** MAIL FROM with the parameters the server offers. */
    private String mailLine(StoredMessage m, boolean dsn) {
        StringBuilder mail = new StringBuilder("MAIL FROM:<").append(m.reversePath == null ? "" : m.reversePath)
                .append('>');
        if (ext.has("SIZE")) {
            mail.append(" SIZE=").append(m.contentLength);
        }
        if ("8BITMIME".equalsIgnoreCase(m.mailParameters.get("BODY")) && ext.has("8BITMIME")) {
            mail.append(" BODY=8BITMIME");
        }
        if (m.needsSmtpUtf8) {
            mail.append(" SMTPUTF8");
        }
        if (dsn) { // RFC 3461: the remote server takes over reporting what the sender asked for
            String ret = m.mailParameters.get("RET");
            String envid = m.mailParameters.get("ENVID");
            if (ret != null) {
                mail.append(" RET=").append(ret);
            }
            if (envid != null) {
                mail.append(" ENVID=").append(envid);
            }
        }
        return mail.toString();
    }

    /** RCPT TO, with the recipient's NOTIFY and ORCPT when the server offers DSN. */
    private static String rcptLine(StoredMessage m, MailAddress r, boolean dsn) {
        StringBuilder sb = new StringBuilder("RCPT TO:<").append(r).append('>');
        if (dsn) {
            String notify = m.notify(r);
            String orcpt = m.originalRecipient(r);
            if (notify != null) {
                sb.append(" NOTIFY=").append(notify);
            }
            if (orcpt != null) {
                sb.append(" ORCPT=").append(orcpt);
            }
        }
        return sb.toString();
    }

    private static boolean anyPositive(Reply[] replies) {
        for (Reply r : replies) {
            if (r.isPositive()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Ends a transaction that sends no content: with RSET, unless the server (pipelined) already asked for the
     * content it should not get; then the channel is broken and it gets nothing.
     */
    private List<Outcome> endRefused(List<Outcome> results, Reply dataReply) {
        if (dataReply != null && dataReply.code == 354) {
            ch.markBroken(); // the server wants content it should not: do not feed it anything
            return results;
        }
        reset();
        return results;
    }

    /** The content, CRLF and dot-stuffed, then the end of data; every buffer written moves the deadline on. */
    private void sendContent(InputStream content) throws IOException {
        CrlfOutputStream data = new CrlfOutputStream(ch.out(), true);
        if (dataBuffer == null) {
            dataBuffer = new byte[16 * 1024];
        }
        byte[] buf = dataBuffer;
        int n;
        while ((n = content.read(buf)) > 0) {
            data.write(buf, 0, n);
            ch.setDeadline(settings.dataTimeout);
        }
        data.endData();
        ch.flush();
    }

    /** The outcomes when the connection failed in {@code stage}: refused recipients keep their reply. */
    private List<Outcome> lost(IOException e, String stage, boolean dataSent, List<MailAddress> rcpts,
                               Reply[] rcptReplies, List<Outcome> results) {
        ch.markBroken();
        lostBeforeReply = stage.equals("MAIL FROM");
        boolean late = e instanceof SocketTimeoutException || ch.timedOut() || ch.deadlinePassed();
        ch.clearDeadline();
        String why = late
                ? "conversation with " + ch.who() + " timed out while sending " + stage
                : "lost connection with " + ch.who() + " while sending " + stage + ": " + Text.describe(e);
        if (e instanceof NoSuchFileException) {
            why = "the message was removed from the queue during delivery";
        }
        if (e instanceof LeaseLostException) {
            why = "not sent: " + e.getMessage();
        }
        if (dataSent) {
            why += " (the message may have been delivered; it will be sent again)";
        }
        results.clear();
        for (int i = 0; i < rcpts.size(); i++) {
            if (rcptReplies[i] != null && !rcptReplies[i].isPositive()) {
                results.add(fromReply(rcpts.get(i), rcptReplies[i], "RCPT TO"));
            } else {
                results.add(outcome(rcpts.get(i), Outcome.Kind.DEFERRED, "4.4.2", why));
            }
        }
        return results;
    }

    private void reset() {
        try {
            Reply r = ch.command("RSET");
            if (!r.isPositive()) {
                ch.markBroken();
            }
        } catch (IOException e) {
            ch.markBroken();
        }
    }

    private Outcome fromReply(MailAddress r, Reply reply, String stage) {
        Outcome.Kind kind = reply.isPositive() ? Outcome.Kind.DELIVERED
                : reply.isTransient() ? Outcome.Kind.DEFERRED : Outcome.Kind.BOUNCED;
        String detail = kind == Outcome.Kind.DELIVERED
                ? reply.oneLine()
                : "host " + ch.who() + " said: " + reply.oneLine() + " (in reply to " + stage + " command)";
        // a 3xx where a final reply was due has no enhanced status (RFC 3463 has no class 3): 4.5.0, a protocol error
        String status = reply.status != null ? reply.status : "4.5.0";
        return new Outcome(r, kind, reply, status, detail, remoteHost, remoteAddress, tls);
    }

    private Outcome outcome(MailAddress r, Outcome.Kind kind, String status, String detail) {
        return new Outcome(r, kind, null, status, detail, remoteHost, remoteAddress, tls);
    }

    /**
     * Whether the last transaction failed because the connection was gone before the server answered anything in it
     * (typically a reused connection the server had closed): then it may be repeated on a new connection.
     */
    boolean lostBeforeReply() {
        return lostBeforeReply;
    }

    /** The number of transactions started. */
    int started() {
        return started;
    }
}
