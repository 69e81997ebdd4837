package dev.mailkit.web.internal.api;

import dev.mailkit.core.auth.MailUser;
import dev.mailkit.store.AccountId;
import dev.mailkit.web.internal.auth.Sessions;

import java.util.List;

/**
 * Who is asking: a logged-in user (by session or HTTP Basic), who sees exactly the account of their address, or
 * anyone at all on a server without login, who sees the configured test accounts. Immutable.
 */
final class Principal {
    final MailUser user;
    final List<AccountId> accounts;
    final Sessions.Session session;

    private Principal(MailUser user, List<AccountId> accounts, Sessions.Session session) {
        this.user = user;
        this.accounts = accounts;
        this.session = session;
    }

    static Principal open(List<AccountId> accounts) {
        return new Principal(null, accounts, null);
    }

    static Principal user(MailUser user, Sessions.Session session) {
        return new Principal(user, List.of(AccountId.of(user)), session);
    }

    /** Whether this principal may see the account. */
    boolean sees(AccountId account) {
        return accounts.contains(account);
    }

    /** The account shown when the request names none. */
    AccountId defaultAccount() {
        return accounts.get(0);
    }

    /** Whether this is the open (no login) principal. */
    boolean isOpen() {
        return user == null;
    }

    /** The login name, or empty on an open server. */
    String name() {
        return user == null ? "" : user.username();
    }
}
