package dev.mailkit.smtp.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/**
 * The writer mailkit installs in each SubEthaSMTP session in place of SubEthaSMTP's own (through
 * {@link SubethaAccess}). It encodes replies as UTF-8 (SubEthaSMTP uses the platform charset), records them in the
 * session transcript, and gives the few replies that SubEthaSMTP's session loop writes itself (unknown command,
 * timeout, malformed line; {@link SubethaAccess#SUBETHA_REPLIES}) an enhanced status code (RFC 3463) and clearer
 * wording; every reply mailkit's own commands write already carries one.
 */
final class ReplyWriter extends PrintWriter {
    private final SessionState state;

    ReplyWriter(OutputStream out, SessionState state) {
        super(new Utf8Writer(out), false);
        this.state = state;
    }

    @Override
    public void print(String s) {
        String fixed = SubethaAccess.fixReply(s);
        state.recorder().server(fixed);
        super.print(fixed);
    }

    /**
     * Collects the characters of one reply and writes them to the socket as UTF-8 in one write on flush; much
     * lighter per session than an OutputStreamWriter with its 8 KiB encoder buffer.
     */
    private static final class Utf8Writer extends Writer {
        private final OutputStream out;
        private final StringBuilder pending = new StringBuilder(128);

        Utf8Writer(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(char[] cbuf, int off, int len) {
            pending.append(cbuf, off, len);
        }

        @Override
        public void write(String str, int off, int len) {
            pending.append(str, off, off + len);
        }

        @Override
        public void flush() throws IOException {
            if (pending.length() > 0) {
                byte[] b = pending.toString().getBytes(StandardCharsets.UTF_8);
                pending.setLength(0);
                out.write(b);
            }
            out.flush();
        }

        @Override
        public void close() throws IOException {
            flush();
            out.close();
        }
    }
}
