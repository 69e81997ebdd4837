package dev.mailkit.smtp.internal.command;

import dev.mailkit.core.MessageSpool;
import dev.mailkit.core.SmtpReply;
import dev.mailkit.smtp.BareLineEndings;
import dev.mailkit.smtp.internal.ClientGone;
import dev.mailkit.smtp.internal.DataReader;
import dev.mailkit.smtp.internal.SessionState;
import dev.mailkit.smtp.internal.SmtpConfig;
import dev.mailkit.smtp.internal.SmtpListener;

import java.io.IOException;

/**
 * DATA (RFC 5321 4.1.1.4): reads the content with {@link DataReader} into the spool, always to its real end, then
 * refuses it (size, bare CR/LF, line length) or delivers it. A refused message's body is never read as commands,
 * and a {@code 250} is sent only after the sink has stored the message.
 */
public final class DataCommand extends MailkitCommand {
    public DataCommand(SmtpListener listener) {
        super(listener, "DATA", "Send the message, ended by a line with a single dot");
    }

    @Override
    protected void run(String args, SessionState st) throws IOException {
        SmtpConfig c = listener.config();
        if (!args.isBlank()) {
            st.reply(501, "5.5.4", "DATA takes no arguments");
            return;
        }
        if (!st.inTransaction()) {
            st.reply(503, "5.5.1", "Send MAIL first");
            return;
        }
        if (st.chunkWriter() != null) {
            st.resetTransaction();
            st.reply(503, "5.5.1", "DATA cannot follow BDAT in one transaction; transaction aborted");
            return;
        }
        if (st.transaction().recipientCount() == 0) {
            st.reply(554, "5.5.1", "No valid recipients");
            return;
        }
        st.replyRaw("354 End data with <CR><LF>.<CR><LF>"); // 3xx replies carry no enhanced status
        DataReader reader = new DataReader(c.maxMessageSize, c.maxLineLength,
                c.bareLineEndings == BareLineEndings.NORMALIZE);
        MessageSpool.Writer w = c.spool.newWriter();
        try {
            reader.read(st.input(), w);
        } catch (IOException e) {
            w.abort();
            st.resetTransaction();
            if (ClientGone.isClientGone(e)) {
                ClientGone.endSession(st, "DATA", reader.size(), e);
                return;
            }
            throw e; // nothing was accepted
        }
        st.recorder().note("<message content, " + reader.size() + " octets>");
        SmtpReply refusal = reader.limits().refusal();
        if (refusal != null) {
            w.abort();
            st.resetTransaction();
            st.reply(refusal);
            return;
        }
        listener.delivery().complete(st, w);
    }
}
