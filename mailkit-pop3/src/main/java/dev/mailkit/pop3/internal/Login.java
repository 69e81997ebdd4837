package dev.mailkit.pop3.internal;

import dev.mailkit.core.auth.MailUser;
import dev.mailkit.store.MailAccount;
import dev.mailkit.store.MailStoreException;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxView;
import dev.mailkit.store.ViewMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/**
 * The end of every login (PASS, AUTH): checks the credentials, and on success locks and opens the maildrop.
 * Unknown users and wrong passwords get the same reply after the same work; every failure waits the per-address
 * growing delay before replying, and the connection is closed after the configured number of failures.
 */
public final class Login {
    private static final Logger LOG = LoggerFactory.getLogger(Login.class);
    /** The one reply for every failed login (RFC 3206 {@code [AUTH]}). */
    public static final String FAILED = "[AUTH] Authentication failed";

    private Login() {
    }

    /** Checks the credentials (wiping the password) and enters the TRANSACTION state or answers why not. */
    public static void attempt(Pop3Session session, String username, char[] password) throws IOException {
        Optional<MailUser> user;
        try {
            user = session.config().users().authenticate(username, password);
        } catch (RuntimeException e) {
            LOG.warn("{}: the user directory failed: {}", session.connection().id(), e.toString());
            session.pendingUser(null);
            session.err("[SYS/TEMP] Authentication is not available now, try again later");
            return;
        } finally {
            Arrays.fill(password, '\0');
        }
        if (user.isEmpty()) {
            fail(session);
            return;
        }
        session.config().penalty().recordSuccess(clientAddress(session));
        openMaildrop(session, user.get());
    }

    /** A failed login, whatever the reason (unknown user, wrong password, an authorization identity not allowed). */
    public static void fail(Pop3Session session) throws IOException {
        session.pendingUser(null);
        Duration delay = session.config().penalty().recordFailure(clientAddress(session));
        if (!delay.isZero()) {
            session.flush();
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                session.end();
                return;
            }
        }
        session.err(FAILED);
        if (session.authFailed() >= session.config().maxAuthFailures()) {
            session.end();
        }
    }

    private static void openMaildrop(Pop3Session session, MailUser user) throws IOException {
        Pop3Config c = session.config();
        MailboxView view;
        try {
            MailAccount account = c.store().account(user);
            try (Mailbox box = account.open(c.mailbox())) {
                view = box.openView(ViewMode.EXCLUSIVE);
            }
        } catch (MailStoreException e) {
            session.pendingUser(null);
            switch (e.reason()) {
                case IN_USE:
                    session.err("[IN-USE] Mailbox is locked by another POP3 session");
                    return;
                case IO_ERROR:
                    LOG.warn("{}: cannot open the maildrop of {}: {}", session.connection().id(), user.username(),
                            e.getMessage());
                    session.err("[SYS/TEMP] The mailbox cannot be opened now, try again later");
                    return;
                default:
                    LOG.warn("{}: cannot open the maildrop of {}: {}", session.connection().id(), user.username(),
                            e.getMessage());
                    session.err("[SYS/PERM] This user has no mailbox that can be served");
                    return;
            }
        }
        Maildrop drop;
        try {
            drop = Maildrop.open(view);
        } catch (RuntimeException e) {
            LOG.warn("{}: cannot read the maildrop of {}: {}", session.connection().id(), user.username(),
                    e.toString());
            session.pendingUser(null);
            session.err("[SYS/TEMP] The mailbox cannot be read now, try again later");
            return;
        }
        session.enterTransaction(drop);
        session.ok("Logged in, " + drop.liveCount() + " messages (" + drop.liveSize() + " octets)");
    }

    private static InetAddress clientAddress(Pop3Session session) {
        return session.connection().remoteAddress().getAddress();
    }
}
