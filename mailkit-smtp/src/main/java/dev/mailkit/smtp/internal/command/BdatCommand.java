package dev.mailkit.smtp.internal.command;

import dev.mailkit.core.SmtpReply;
import dev.mailkit.smtp.BareLineEndings;
import dev.mailkit.smtp.internal.ChunkReader;
import dev.mailkit.smtp.internal.ClientGone;
import dev.mailkit.smtp.internal.DropConnection;
import dev.mailkit.smtp.internal.SessionState;
import dev.mailkit.smtp.internal.SmtpConfig;
import dev.mailkit.smtp.internal.SmtpListener;

import java.io.IOException;
import java.util.Locale;

/**
 * BDAT (RFC 3030 CHUNKING). The announced octets are always read, whatever the reply, so that chunk data is never
 * parsed as commands; a chunk that breaks a limit fails the whole transaction, and later chunks of it are read and
 * refused. A BDAT line whose size cannot be parsed leaves no way to find the next command, so the connection is
 * closed.
 */
public final class BdatCommand extends MailkitCommand {
    public BdatCommand(SmtpListener listener) {
        super(listener, "BDAT", "Send a chunk of the message: BDAT size [LAST]");
    }

    @Override
    protected void run(String args, SessionState st) throws IOException, DropConnection {
        SmtpConfig c = listener.config();
        String[] parts = args.strip().split(" +");
        long size = -1;
        if (parts.length >= 1 && parts.length <= 2 && parts[0].matches("[0-9]{1,18}")) {
            size = Long.parseLong(parts[0]);
        }
        boolean last = parts.length == 2 && parts[1].toUpperCase(Locale.ROOT).equals("LAST");
        if (size < 0 || (parts.length == 2 && !last)) {
            st.resetTransaction();
            throw new DropConnection(501, "5.5.4 Syntax: BDAT size [LAST]; closing connection");
        }
        if (!st.inTransaction() || st.transaction().recipientCount() == 0) {
            ChunkReader.discard(st.input(), size);
            st.reply(503, "5.5.1", st.inTransaction() ? "No valid recipients" : "Send MAIL first");
            return;
        }
        if (st.chunkWriter() == null) {
            st.startChunking(c.spool.newWriter(), new ChunkReader(c.maxMessageSize, c.maxLineLength,
                    c.bareLineEndings == BareLineEndings.NORMALIZE));
        }
        ChunkReader reader = st.chunkReader();
        try {
            reader.read(st.input(), size, last, st.chunkWriter());
        } catch (IOException e) {
            st.resetTransaction();
            if (ClientGone.isClientGone(e)) {
                ClientGone.endSession(st, "BDAT", size, e);
                return;
            }
            throw e;
        }
        st.recorder().note("<" + size + " octets of message content>");
        SmtpReply refusal = reader.limits().refusal();
        if (refusal != null) {
            st.resetTransaction(); // later chunks of this transaction get 503 and are drained
            st.reply(refusal);
            return;
        }
        if (!last) {
            st.reply(250, "2.0.0", size + " octets received");
            return;
        }
        listener.delivery().complete(st, st.takeChunkWriter());
    }
}
