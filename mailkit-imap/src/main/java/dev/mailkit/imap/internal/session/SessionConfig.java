package dev.mailkit.imap.internal.session;

import dev.mailkit.store.search.SearchIndex;

import dev.mailkit.core.MessageSpool;
import dev.mailkit.core.auth.UserDirectory;
import dev.mailkit.core.filter.SpamLearning;
import dev.mailkit.core.server.AuthFailurePenalty;
import dev.mailkit.store.MailStore;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;

/**
 * The validated, immutable settings every IMAP session of one server shares. Built by {@code ImapServer.Builder}.
 *
 * @param hostName              the name in the greeting and in ID
 * @param users                 checks passwords
 * @param tlsAvailable          whether STARTTLS is offered on the plain port
 * @param requireTlsForLogin    whether LOGIN/AUTHENTICATE are refused (LOGINDISABLED) until TLS is active
 * @param penalty               the growing delay after failed logins
 * @param maxAuthFailures       failed logins after which the connection is closed
 * @param maxLineLength         longest command line after login
 * @param maxLineBeforeLogin    longest command line before login
 * @param maxLiteralBeforeLogin largest string literal before login
 * @param maxLiteral            largest string literal (not APPEND) after login
 * @param maxCommandSize        most bytes in one command (lines and string literals) after login
 * @param appendLimit           largest message APPEND accepts (APPENDLIMIT)
 * @param maxNestingDepth       deepest nesting of lists and search keys
 * @param loginTimeout          read timeout before login
 * @param idleTimeout           read timeout after login (autologout)
 * @param spool                 where APPENDed messages are streamed
 * @param clock                 the time
 * @param zone                  the zone INTERNALDATE is shown in
 * @param store                 the mailboxes, or null when none is configured (mailbox commands then say NO)
 * @param spamLearning          told when a user moves mail into or out of Junk, or null
 * @param searchIndex           answers SEARCH BODY/TEXT instead of reading the messages, or null
 */
public record SessionConfig(String hostName, UserDirectory users, boolean tlsAvailable, boolean requireTlsForLogin,
                            AuthFailurePenalty penalty, int maxAuthFailures, int maxLineLength,
                            int maxLineBeforeLogin, long maxLiteralBeforeLogin, long maxLiteral, long maxCommandSize,
                            long appendLimit, int maxNestingDepth, Duration loginTimeout, Duration idleTimeout,
                            MessageSpool spool, Clock clock, ZoneId zone, MailStore store,
                            SpamLearning spamLearning, SearchIndex searchIndex) {
}
