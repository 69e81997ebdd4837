package dev.mailkit.store;

import dev.mailkit.core.MessageSource;
import dev.mailkit.store.mime.MessageEnvelope;
import dev.mailkit.store.mime.MessageStructure;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A handle on one mailbox, shared state that every session sees the same way: its counters, its messages by UID,
 * and appending. What a session sees in its own way (message sequence numbers, {@code \Recent}, pending changes)
 * and the changes it makes to existing messages go through a {@link MailboxView} from {@link #openView}.
 *
 * <h2>Messages</h2>
 * Each message has a UID, strictly ascending in the order messages are added and never reused while the
 * mailbox's {@link #uidValidity() UIDVALIDITY} stays the same; flags; an internal date; a size; and a MODSEQ.
 * Every change (an append, a flag change, an expunge) gets the next MODSEQ of the mailbox, so HIGHESTMODSEQ grows
 * with every change (RFC 7162). Per-message data comes from memory, never from the message files:
 * {@link #message(long)} costs a lookup, {@link #structure(long)} decodes a cached parse (ENVELOPE, BODYSTRUCTURE,
 * section offsets; {@link #envelope(long)} only the envelope), and only {@link #content(long)} reads the message itself.
 *
 * <h2>Expunged messages</h2>
 * A message that another session expunged is still in a view's snapshot until the view syncs. The lookups here
 * answer {@link Optional#empty()} for it: IMAP then follows RFC 2180 (for example {@code NO} for a FETCH of it).
 *
 * <p>Thread-safe. If the mailbox is deleted or the handle closed, operations fail: {@link MailStoreException}
 * {@code NOT_FOUND} for a deleted mailbox, {@link IllegalStateException} for a closed handle.
 */
public interface Mailbox extends AutoCloseable {
    /** The current name (it follows renames). */
    MailboxName name();

    /** UIDVALIDITY: fixed for the life of the mailbox; a mailbox re-created under the same name gets another. */
    long uidValidity();

    /**
     * MAILBOXID (RFC 8474): {@code F} and the {@link #uidValidity() UIDVALIDITY}. That is a valid identifier because
     * every mailkit store hands out UIDVALIDITY values unique within the account and never again (a watermark, or
     * PostgreSQL's sequence), keeps them across RENAME and gives a re-created mailbox a new one: the MAILBOXID stays
     * with the mailbox through renames, is never reused, and is the same on every node of a shared database. A
     * store whose UIDVALIDITY values may repeat within an account must override this.
     */
    default String mailboxId() {
        return "F" + uidValidity();
    }

    /**
     * Whether the store keeps each message's save date (RFC 8514 SAVEDATE): when it was appended, delivered, copied
     * or moved into this mailbox. The default is false: IMAP then answers {@code SAVEDATE NIL}. mailkit's stores
     * keep it.
     */
    default boolean keepsSaveDates() {
        return false;
    }

    /**
     * The save date of a message (see {@link #keepsSaveDates()}), in whole seconds; empty if there is no such
     * message any more, or the store does not know it (a message a store of an older version saved). The default
     * is always empty.
     */
    default Optional<Instant> saveDate(long uid) {
        return Optional.empty();
    }

    /** The counters now. */
    MailboxStatus status();

    /** The special uses of this mailbox (RFC 6154). */
    Set<SpecialUse> specialUse();

    /** The keywords defined in this mailbox so far, in the order they were first used (IMAP's FLAGS response). */
    List<String> keywords();

    /** Whether a new keyword can still be defined (IMAP: {@code \*} in PERMANENTFLAGS). */
    boolean canCreateKeywords();

    /**
     * Adds a message. The content is streamed into the store (never loaded whole by a durable store); the caller
     * keeps ownership of {@code message} and may close it when this returns. When this returns the message is
     * stored (durably, for a durable store) and every view has been told.
     *
     * @param message      the message, lines ending in CRLF
     * @param flags        its flags and keywords (new keywords are defined in the mailbox)
     * @param internalDate its internal date, or null for now; kept in whole seconds
     * @return the new UID
     * @throws MailStoreException {@code OVER_QUOTA} if the account's quota does not allow it; {@code LIMIT} if a
     *                            new keyword would exceed the mailbox's keyword limit; {@code NOT_FOUND} if the
     *                            mailbox was deleted; {@code IO_ERROR} if it could not be stored (then nothing was)
     */
    long append(MessageSource message, Flags flags, Instant internalDate);

    /** Adds a message with no flags, dated now. See {@link #append(MessageSource, Flags, Instant)}. */
    default long append(MessageSource message) {
        return append(message, Flags.NONE, null);
    }

    /** The metadata of a message, or empty if there is no message with that UID (any more). */
    Optional<MessageInfo> message(long uid);

    /**
     * The content of a message, streamed from where the store keeps it, or empty if there is no such message any
     * more. The caller must close it. Its bytes never change; ranged reads (for IMAP {@code BODY[...]<n.m>} and
     * sections at {@link MessageStructure} offsets) are {@code openStream()} plus {@code skip}, which does not read
     * the skipped bytes.
     *
     * @throws MailStoreException {@code IO_ERROR} if it exists but cannot be read
     */
    Optional<MessageSource> content(long uid);

    /**
     * The parsed MIME structure and envelope of a message, from the store's cache (parsed once, when first asked
     * for, and kept), or empty if there is no such message any more.
     *
     * @throws MailStoreException {@code IO_ERROR} if it had to be parsed and could not be read
     */
    Optional<MessageStructure> structure(long uid);

    /**
     * The envelope fields of a message (IMAP ENVELOPE), or empty if there is no such message any more. The same as
     * {@code structure(uid).map(MessageStructure::envelope)}, but a store decodes only the envelope from its cache,
     * not the whole part tree.
     *
     * @throws MailStoreException {@code IO_ERROR} if it had to be parsed and could not be read
     */
    default Optional<MessageEnvelope> envelope(long uid) {
        return structure(uid).map(MessageStructure::envelope);
    }

    /**
     * Opens a view for a session (IMAP SELECT/EXAMINE, a POP3 maildrop): a snapshot of the messages now, which
     * changes only when the session syncs it. Close it when the session leaves the mailbox.
     *
     * @throws MailStoreException {@code IN_USE} for {@link ViewMode#EXCLUSIVE} while another exclusive view is open
     */
    MailboxView openView(ViewMode mode);

    /** Releases this handle. Views opened from it are not affected. Idempotent. */
    @Override
    void close();
}
