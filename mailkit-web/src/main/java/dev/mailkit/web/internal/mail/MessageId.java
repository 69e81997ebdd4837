package dev.mailkit.web.internal.mail;

import dev.mailkit.store.AccountId;
import dev.mailkit.store.MailStoreException;
import dev.mailkit.store.MailboxName;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * The ID the API gives a message (Mailpit's "database ID"): where it is (account, mailbox) and which it is
 * (UIDVALIDITY, UID), as {@code base64url(account LF mailbox) "." base36(uidvalidity) "." base36(uid)}. Only URL-safe
 * characters, stable across restarts of a durable store, and never trusted: the server checks that the requester
 * may see the account before it opens anything. Immutable.
 */
public final class MessageId {
    private final MailboxKey mailbox;
    private final long uidValidity;
    private final long uid;

    public MessageId(MailboxKey mailbox, long uidValidity, long uid) {
        this.mailbox = Objects.requireNonNull(mailbox, "mailbox");
        this.uidValidity = uidValidity;
        this.uid = uid;
    }

    /** The mailbox. */
    public MailboxKey mailbox() {
        return mailbox;
    }

    /** The mailbox's UIDVALIDITY when the ID was made. */
    public long uidValidity() {
        return uidValidity;
    }

    /** The UID. */
    public long uid() {
        return uid;
    }

    /** The ID's text. */
    public String encode() {
        return mailbox.token() + "." + Long.toString(uidValidity, 36) + "." + Long.toString(uid, 36);
    }

    /** Parses an ID, or returns null if it is not one (the caller answers 404). */
    public static MessageId parse(String text) {
        if (text == null || text.length() > 700) {
            return null;
        }
        int b = text.lastIndexOf('.');
        int a = b <= 0 ? -1 : text.lastIndexOf('.', b - 1);
        if (a <= 0) {
            return null;
        }
        MailboxKey key = MailboxKey.fromToken(text.substring(0, a));
        if (key == null) {
            return null;
        }
        try {
            long v = Long.parseLong(text.substring(a + 1, b), 36);
            long u = Long.parseLong(text.substring(b + 1), 36);
            if (v <= 0 || u <= 0) {
                return null;
            }
            return new MessageId(key, v, u);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MessageId && ((MessageId) o).mailbox.equals(mailbox)
                && ((MessageId) o).uidValidity == uidValidity && ((MessageId) o).uid == uid;
    }

    @Override
    public int hashCode() {
        return mailbox.hashCode() * 31 + Long.hashCode(uid);
    }

    @Override
    public String toString() {
        return encode();
    }

    /** An account and one of its mailboxes. Immutable. */
    public static final class MailboxKey {
        private final AccountId account;
        private final MailboxName name;
        private final String token;

        public MailboxKey(AccountId account, MailboxName name) {
            this.account = Objects.requireNonNull(account, "account");
            this.name = Objects.requireNonNull(name, "name");
            this.token = Base64.getUrlEncoder().withoutPadding().encodeToString(
                    (account + "\n" + name).getBytes(StandardCharsets.UTF_8));
        }

        /** The account. */
        public AccountId account() {
            return account;
        }

        /** The mailbox name. */
        public MailboxName name() {
            return name;
        }

        String token() {
            return token;
        }

        static MailboxKey fromToken(String token) {
            try {
                String s = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
                int nl = s.indexOf('\n');
                if (nl <= 0) {
                    return null;
                }
                return new MailboxKey(AccountId.parse(s.substring(0, nl)), MailboxName.of(s.substring(nl + 1)));
            } catch (IllegalArgumentException | MailStoreException e) {
                return null;
            }
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof MailboxKey && ((MailboxKey) o).account.equals(account)
                    && ((MailboxKey) o).name.equals(name);
        }

        @Override
        public int hashCode() {
            return account.hashCode() * 31 + name.hashCode();
        }

        @Override
        public String toString() {
            return account + "/" + name;
        }
    }
}
