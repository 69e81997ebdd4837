package dev.mailkit.sieve;

import dev.mailkit.store.AccountId;

import java.io.IOException;
import java.time.Instant;

/**
 * Which senders a user's vacation replies went to, and until when they must not get another (RFC 5230 4.2: at
 * most one reply per sender and handle per period). {@link #fileInHome} keeps it in a file in the user's home,
 * durably, so a restart does not answer everybody again. Implementations must be thread-safe.
 */
public interface VacationMemory {
    /**
     * Records a reply to be sent, unless one was recorded for the key and is still within its period: the check and
     * the record are one atomic step, so concurrent deliveries from one sender (a storm) reply once.
     *
     * @param key   identifies sender and handle
     * @param now   the time now
     * @param until when the sender may get another reply
     * @return true if the reply may be sent (and is now recorded)
     */
    boolean tryRecord(AccountId account, String key, Instant now, Instant until) throws IOException;

    /** Forgets a record (the reply could not be sent after all). */
    void forget(AccountId account, String key) throws IOException;

    /** A memory in a file {@code name} in each user's home ({@code .mailkit-vacation}, say). */
    static VacationMemory fileInHome(SieveScripts scripts, String name) {
        return new dev.mailkit.sieve.internal.exec.FileVacationMemory(a -> scripts.home(a).resolve(name));
    }
}
