package dev.mailkit.smtp.internal.command;

import dev.mailkit.smtp.internal.SessionState;
import dev.mailkit.smtp.internal.SmtpListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.Socket;
import javax.net.ssl.SSLSocket;

/**
 * STARTTLS (RFC 3207). Refused after AUTH (a session authenticated in plaintext must not be carried into TLS:
 * session fixation). After the handshake the session starts over: SubEthaSMTP's new input buffer drops any plaintext
 * the client pipelined behind STARTTLS (command injection, CVE-2011-0411 class), the HELO/EHLO and the transaction
 * are forgotten (mailkit's and SubEthaSMTP's), and the client must say EHLO again.
 */
public final class StartTlsCommand extends MailkitCommand {
    private static final Logger LOG = LoggerFactory.getLogger(StartTlsCommand.class);

    public StartTlsCommand(SmtpListener listener) {
        super(listener, "STARTTLS", "Start TLS");
    }

    @Override
    protected void run(String args, SessionState st) throws IOException {
        if (!args.isBlank()) {
            st.reply(501, "5.5.4", "STARTTLS takes no arguments");
            return;
        }
        if (listener.config().tls == null) {
            st.reply(502, "5.5.1", "TLS is not available on this server");
            return;
        }
        if (st.tls().isPresent()) {
            st.reply(503, "5.5.1", "TLS is already active");
            return;
        }
        if (st.authenticatedUser().isPresent()) {
            st.reply(503, "5.5.1", "STARTTLS is not allowed after AUTH");
            return;
        }
        st.reply(220, "2.0.0", "Ready to start TLS");
        Socket plain = st.socket();
        SSLSocket tls;
        try {
            tls = listener.config().tls.wrap(plain);
            tls.setSoTimeout(plain.getSoTimeout());
            tls.startHandshake();
        } catch (IOException e) {
            LOG.debug("{}: STARTTLS handshake failed: {}", st.sessionId(), e.toString());
            st.closeConnection(); // the stream is in an unknown state: nothing more can be said
            return;
        }
        st.switchTo(tls); // new buffers: anything pipelined in plaintext is gone
        SmtpListener.tlsEstablished(st, tls);
        st.resetTransaction();
        st.forgetHello();
    }
}
