package dev.mailkit.store;

import dev.mailkit.core.MailAddress;
import dev.mailkit.core.auth.MailUser;

/**
 * A store of users' mailboxes: the SPI that the delivery agent files mail into and that IMAP and POP3 serve.
 * {@link dev.mailkit.store.memory.MemoryMailStore} is the in-memory implementation;
 * {@link dev.mailkit.store.maildir.MaildirMailStore} is the durable one.
 *
 * <p>The model, from the top: a store holds {@link MailAccount accounts} (one per user, keyed by
 * {@link AccountId}); an account holds a hierarchy of {@link Mailbox mailboxes} (always {@code INBOX}),
 * subscriptions and a quota; a mailbox holds messages with UIDs, flags, internal dates, sizes and MODSEQs, and
 * hands out {@link MailboxView views}, one per session, through which the session sees a stable
 * message-sequence-number snapshot and learns of other sessions' changes when it chooses.
 *
 * <p>An account exists as soon as it is asked for: its {@code INBOX} (and any mailboxes the store is configured to
 * create) is created on first access. Which users exist is the user directory's business, not the store's.
 *
 * <p>Implementations are thread-safe: any number of deliveries and sessions may use one store, one account and one
 * mailbox at the same time. {@link #close()} releases resources; using the store afterwards fails with
 * {@link IllegalStateException}.
 */
public interface MailStore extends AutoCloseable {
    /**
     * The account of a user, created (with its INBOX) if it did not exist.
     *
     * @throws MailStoreException ({@code INVALID_NAME}) if the address cannot name an account, see {@link AccountId}
     */
    MailAccount account(AccountId id);

    /**
     * The account that owns mail for an address.
     *
     * @throws MailStoreException ({@code INVALID_NAME}) if the address cannot name an account
     */
    default MailAccount account(MailAddress owner) {
        return account(AccountId.of(owner));
    }

    /**
     * The account of a user (by the user's address).
     *
     * @throws MailStoreException ({@code INVALID_NAME}) if the user's address cannot name an account
     */
    default MailAccount account(MailUser user) {
        return account(AccountId.of(user));
    }

    /** Releases the store's resources. Idempotent. */
    @Override
    void close();
}
