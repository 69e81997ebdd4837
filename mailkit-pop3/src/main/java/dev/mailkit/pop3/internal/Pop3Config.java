package dev.mailkit.pop3.internal;

import dev.mailkit.core.auth.UserDirectory;
import dev.mailkit.core.server.AuthFailurePenalty;
import dev.mailkit.core.tls.TlsConfig;
import dev.mailkit.store.MailStore;
import dev.mailkit.store.MailboxName;

import java.time.Duration;

/**
 * The validated settings of a POP3 server, shared by all its sessions. Immutable (the store, directory and penalty
 * are thread-safe services).
 *
 * @param store              the store whose accounts are served
 * @param users              checks passwords
 * @param tls                TLS for STLS and the implicit-TLS port, or null
 * @param requireTlsForLogin whether USER, PASS and AUTH need TLS
 * @param mailbox            the mailbox served as the maildrop
 * @param penalty            the growing delay after failed logins
 * @param maxAuthFailures    failed logins after which the connection is closed
 * @param maxBadCommands     bad commands after which the connection is closed
 * @param maxLineLength      the longest command line (SASL responses: 8 times as long)
 * @param idleTimeout        the read timeout after login
 * @param hostName           the name in the greeting and CAPA IMPLEMENTATION
 * @param markSeen           whether retrieved messages get {@code \Seen} at QUIT
 */
public record Pop3Config(MailStore store, UserDirectory users, TlsConfig tls, boolean requireTlsForLogin,
                         MailboxName mailbox, AuthFailurePenalty penalty, int maxAuthFailures, int maxBadCommands,
                         int maxLineLength, Duration idleTimeout, String hostName, boolean markSeen) {

    /** The longest SASL response line. */
    public int maxSaslLineLength() {
        return maxLineLength * 8;
    }
}
