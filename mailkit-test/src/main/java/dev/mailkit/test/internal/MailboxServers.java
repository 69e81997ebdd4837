package dev.mailkit.test.internal;

import dev.mailkit.core.auth.UserDirectory;
import dev.mailkit.core.server.AuthFailurePenalty;
import dev.mailkit.core.tls.TlsConfig;
import dev.mailkit.imap.ImapServer;
import dev.mailkit.pop3.Pop3Server;
import dev.mailkit.store.MailStore;

/**
 * The IMAP and POP3 servers of a test server: free ports, no login delays, generous connection limits for the one
 * client address tests use, and with TLS an implicit-TLS port too.
 */
public final class MailboxServers {
    private MailboxServers() {
    }

    /** Starts IMAP over the store. */
    public static ImapServer imap(MailStore store, UserDirectory users, TlsConfig tls, boolean requireTls) {
        ImapServer.Builder ib = ImapServer.builder().store(store).users(users).port(0)
                .authFailurePenalty(AuthFailurePenalty.none())
                .maxConnectionsPerAddress(10_000).maxConnections(10_000);
        if (tls != null) {
            ib.tls(tls).implicitTlsPort(0).requireTlsForLogin(requireTls);
        }
        return ib.build().start();
    }

    /** Starts POP3 over the store. */
    public static Pop3Server pop3(MailStore store, UserDirectory users, TlsConfig tls, boolean requireTls) {
        Pop3Server.Builder pb = Pop3Server.builder().store(store).users(users).port(0)
                .authFailurePenalty(AuthFailurePenalty.none())
                .maxConnectionsPerAddress(10_000).maxConnections(10_000);
        if (tls != null) {
            pb.tls(tls).implicitTlsPort(0).requireTlsForLogin(requireTls);
        }
        return pb.build().start();
    }
}
