package dev.mailkit.pop3.internal.command;

import dev.mailkit.pop3.internal.Pop3Session;
import dev.mailkit.pop3.internal.Pop3State;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * STLS (RFC 2595 section 4): starts TLS, only in the AUTHORIZATION state (so never after a login). Whatever the client
 * sent after STLS and before the handshake is discarded, and a USER given before is forgotten.
 */
public final class StlsCommand implements Command {
    public static final StlsCommand INSTANCE = new StlsCommand();
    private static final Logger LOG = LoggerFactory.getLogger(StlsCommand.class);

    private StlsCommand() {
    }

    @Override
    public boolean validIn(Pop3State state) {
        return state == Pop3State.AUTHORIZATION;
    }

    @Override
    public void execute(Pop3Session session) throws IOException {
        if (session.connection().isTls()) {
            session.badCommand("TLS is already active");
            return;
        }
        if (!session.connection().canStartTls()) {
            session.badCommand("STLS is not available: this server has no TLS configured");
            return;
        }
        session.ok("Begin TLS negotiation now");
        session.pendingUser(null);
        int discarded = session.connection().startTls();
        if (discarded > 0) {
            LOG.debug("{}: discarded {} plaintext bytes sent ahead of the TLS handshake",
                    session.connection().id(), discarded);
        }
    }
}
