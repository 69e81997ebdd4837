package dev.mailkit.store;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One user's mailboxes: the hierarchy (names separated by {@value MailboxName#DELIMITER}), subscriptions and quota.
 * {@code INBOX} always exists.
 *
 * <p>Semantics follow RFC 3501:
 * <ul>
 *   <li>{@link #create} does not create missing parents: {@link #list()} shows them as non-selectable
 *       placeholders (IMAP {@code \Noselect \HasChildren}). Creating a placeholder's name makes it a real mailbox.</li>
 *   <li>{@link #delete} removes a mailbox and its messages but not its children (the name stays as a placeholder
 *       while children exist). INBOX cannot be deleted; a placeholder cannot be deleted.</li>
 *   <li>{@link #rename} moves a mailbox and all mailboxes below it, keeping UIDVALIDITY, UIDs and open views.
 *       Renaming INBOX moves its messages into a new mailbox (new UIDs) and leaves INBOX empty; INBOX's children
 *       stay where they are.</li>
 *   <li>Subscriptions are names, independent of whether the mailbox exists; delete does not unsubscribe, rename
 *       moves subscriptions along.</li>
 * </ul>
 *
 * <p>Thread-safe. Hierarchy changes are atomic with respect to each other.
 */
public interface MailAccount {
    /** The account's key. */
    AccountId id();

    /**
     * Every mailbox, and every placeholder name that has mailboxes below it, sorted (INBOX first). IMAP LIST and
     * LSUB match their patterns against this list.
     */
    List<MailboxInfo> list();

    /**
     * Whether a mailbox of this name exists (placeholders do not).
     */
    boolean exists(MailboxName name);

    /**
     * Opens a handle on a mailbox. Close the handle when done; views opened from it stay usable until closed.
     *
     * @throws MailStoreException {@code NOT_FOUND} if there is no such mailbox
     */
    Mailbox open(MailboxName name);

    /**
     * Creates a mailbox, with the given special uses (RFC 6154 CREATE-SPECIAL-USE; empty for none, in which case a
     * store may still assign one it is configured to give this name).
     *
     * @throws MailStoreException {@code ALREADY_EXISTS}; {@code LIMIT} if the account has too many mailboxes
     */
    void create(MailboxName name, Set<SpecialUse> specialUse);

    /** Creates a mailbox without explicit special uses. See {@link #create(MailboxName, Set)}. */
    default void create(MailboxName name) {
        create(name, Set.of());
    }

    /**
     * Deletes a mailbox and its messages. Open views learn of it at their next sync
     * ({@link MailboxChanges#mailboxDeleted()}); a new mailbox created later under the same name gets a new
     * UIDVALIDITY.
     *
     * @throws MailStoreException {@code NOT_FOUND} if there is no such mailbox; {@code NOT_ALLOWED} for INBOX
     */
    void delete(MailboxName name);

    /**
     * Renames a mailbox and everything below it (see the class description for INBOX).
     *
     * @throws MailStoreException {@code NOT_FOUND} if neither the mailbox nor anything below it exists;
     *                            {@code ALREADY_EXISTS} if the target or a name it would create exists;
     *                            {@code NOT_ALLOWED} if the target is below the source
     */
    void rename(MailboxName from, MailboxName to);

    /** Subscribes to a name (it need not exist). Idempotent. */
    void subscribe(MailboxName name);

    /** Unsubscribes from a name. Idempotent. */
    void unsubscribe(MailboxName name);

    /** The subscribed names, sorted. */
    List<MailboxName> subscriptions();

    /** The account's usage and limits now. */
    Quota quota();

    /**
     * The account's metadata (RFC 5464), if the store keeps it. The default is empty: a store that keeps none makes
     * IMAP leave METADATA out of its capabilities. mailkit's own stores (memory, Maildir, PostgreSQL) keep it.
     */
    default Optional<AccountMetadata> metadata() {
        return Optional.empty();
    }

    /**
     * The numbered stream of changes to the hierarchy, the subscriptions and the metadata (IMAP NOTIFY's MailboxName,
     * SubscriptionChange and metadata events), if the store reports them. The default is empty: IMAP then leaves
     * NOTIFY out of its capabilities. mailkit's own stores report them: memory, Maildir (changes made through this
     * store object; see {@code MaildirMailStore} for those of other processes) and PostgreSQL (every node's).
     */
    default Optional<AccountChanges> changes() {
        return Optional.empty();
    }
}
