package dev.mailkit.pop3.internal.command;

import dev.mailkit.core.MessageSource;
import dev.mailkit.pop3.internal.MultilineEncoder;
import dev.mailkit.pop3.internal.Pop3Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** What the message commands share: checking a message number, and sending a message as a multi-line response. */
final class Messages {
    private static final Logger LOG = LoggerFactory.getLogger(Messages.class);

    private Messages() {
    }

    /** Whether msg is a live message; if not, answers why. */
    static boolean checkLive(Pop3Session session, int msg) throws IOException {
        if (session.maildrop().isLive(msg)) {
            return true;
        }
        session.err(session.maildrop().isDeleted(msg) ? "Message " + msg + " already deleted" : "No such message");
        return false;
    }

    /**
     * Sends a live message (RETR: bodyLines -1; TOP: the number of body lines). A store failure after the {@code +OK}
     * cannot be reported within the response: the connection is then closed without UPDATE.
     */
    static void send(Pop3Session session, int msg, long bodyLines, boolean retrieve) throws IOException {
        Optional<MessageSource> content;
        try {
            content = session.maildrop().content(msg, retrieve);
        } catch (RuntimeException e) {
            LOG.warn("{}: cannot read message {}: {}", session.connection().id(), msg, e.toString());
            session.err("[SYS/TEMP] The message cannot be read now, try again later");
            return;
        }
        if (content.isEmpty()) {
            session.err("Message " + msg + " was expunged by another session");
            return;
        }
        try (MessageSource source = content.get(); InputStream in = source.openStream()) {
            String status = "+OK " + (bodyLines < 0 ? session.maildrop().sizeOf(msg) + " octets"
                    : "Top of message follows") + "\r\n";
            session.encoder().write(status.getBytes(StandardCharsets.US_ASCII), in, session.connection().output(),
                    bodyLines);
        } catch (MultilineEncoder.ContentReadException e) {
            LOG.warn("{}: reading message {} failed while sending it; closing the connection: {}",
                    session.connection().id(), msg, e.getMessage());
            session.end();
            session.connection().close();
        }
    }
}
