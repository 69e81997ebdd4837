package dev.mailkit.sieve.internal.managesieve;

import dev.mailkit.core.auth.UserDirectory;
import dev.mailkit.core.server.AuthFailurePenalty;
import dev.mailkit.sieve.SieveScriptStore;

import java.time.Duration;

/**
 * The settings of a ManageSieve server's sessions, checked by the server's builder.
 *
 * @param scripts            where scripts are
 * @param users              who may log in
 * @param requireTlsForLogin whether AUTHENTICATE waits for STARTTLS
 * @param tlsAvailable       whether STARTTLS is offered on the plain port
 * @param penalty            the delay after failed logins
 * @param maxAuthFailures    failed logins after which a connection is closed
 * @param maxBadCommands     bad commands after which a connection is closed
 * @param maxScriptSize      the largest script, in octets
 * @param maxScripts         the most scripts of one user
 * @param idleTimeout        the wait for the next command after login
 * @param maxRedirects       the redirect limit scripts run with (announced as MAXREDIRECTS)
 * @param implementation     the IMPLEMENTATION capability
 */
public record ManageSieveConfig(SieveScriptStore scripts, UserDirectory users, boolean requireTlsForLogin,
                                boolean tlsAvailable, AuthFailurePenalty penalty, int maxAuthFailures,
                                int maxBadCommands, int maxScriptSize, int maxScripts, Duration idleTimeout,
                                int maxRedirects, String implementation) {
    /** The Sieve extensions announced in the SIEVE capability. */
    public static final String EXTENSIONS = "fileinto reject ereject envelope imap4flags copy body variables "
            + "relational subaddress date include mailbox vacation vacation-seconds spamtest spamtestplus virustest "
            + "comparator-i;ascii-numeric";
}
