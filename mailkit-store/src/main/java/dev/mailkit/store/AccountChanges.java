package dev.mailkit.store;

import java.util.List;
import java.util.Optional;

/**
 * The stream of an account's {@link AccountChange}s, numbered, so that a session that was told of changes up to
 * number n asks for those after n and misses none even if a wake-up got lost, the way {@link MailboxView} does for
 * a mailbox's messages. Who changed the account does not matter: another session, another protocol, the delivery
 * agent (Sieve {@code fileinto :create}) or, for the PostgreSQL store, another node.
 *
 * <p>A store keeps a bounded history: {@link #since} answers empty when changes after the number asked for are no
 * longer all kept (the caller then starts again from {@link #sequence()}, as IMAP NOTIFY does with
 * {@code [NOTIFICATIONOVERFLOW]}). Listeners run after a change is complete, outside every store lock, on the thread
 * that made it or on the store's notification thread; they must return quickly and must not block.
 *
 * <p>Thread-safe.
 */
public interface AccountChanges {
    /** The number of the latest change (0 before the first). */
    long sequence();

    /**
     * The changes numbered above {@code sequence}, oldest first; empty if some of them are no longer kept.
     *
     * @param sequence a number this stream gave out ({@link #sequence()} or a change's)
     */
    Optional<List<AccountChange>> since(long sequence);

    /** Adds a callback run after every change (see the class description for where it runs). */
    void addListener(Runnable listener);

    /** Removes a callback added by {@link #addListener}. Idempotent. */
    void removeListener(Runnable listener);
}
