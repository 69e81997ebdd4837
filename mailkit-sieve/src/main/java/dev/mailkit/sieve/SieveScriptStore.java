package dev.mailkit.sieve;

import dev.mailkit.store.AccountId;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Where users' Sieve scripts are kept: the SPI that {@link SieveDelivery} (which runs the active script at delivery)
 * and {@link ManageSieveServer} (which lets users manage their scripts, RFC 5804) share. {@link SieveScripts} keeps
 * them in files where Dovecot's Pigeonhole does; mailkit-postgres's {@code PostgresSieveScripts} keeps them in the
 * database every node shares, so that a script uploaded on one node filters deliveries on all of them.
 *
 * <p>Each user has any number of named scripts (names as {@link SieveScripts#nameProblem} allows, checked by the
 * callers) and at most one active script. Every change is durable when the method returns.
 * Implementations must be thread-safe, and a change must be atomic (a delivery sees the old script or the new one).
 */
public interface SieveScriptStore {
    /** The names of a user's scripts, sorted. */
    List<String> list(AccountId account) throws IOException;

    /** A script's source, if it exists. */
    Optional<String> read(AccountId account, String name) throws IOException;

    /** Writes a script (replacing one of the same name; an active script stays active). */
    void write(AccountId account, String name, String source) throws IOException;

    /** The name of the user's active script, if one of the user's scripts is active. */
    Optional<String> activeName(AccountId account) throws IOException;

    /** The source of the script that runs at delivery, if there is one. */
    Optional<String> activeSource(AccountId account) throws IOException;

    /**
     * Makes a script the active one, or none when {@code name} is null (RFC 5804 SETACTIVE "").
     *
     * @throws java.nio.file.NoSuchFileException if there is no such script
     */
    void activate(AccountId account, String name) throws IOException;

    /**
     * Deletes a script.
     *
     * @return false if there was none
     * @throws IllegalStateException if it is the active script (RFC 5804 DELETESCRIPT refuses that)
     */
    boolean delete(AccountId account, String name) throws IOException;

    /**
     * Renames a script (the active one stays active under its new name).
     *
     * @return false if there was no such script
     * @throws java.nio.file.FileAlreadyExistsException if the new name is taken
     */
    boolean rename(AccountId account, String from, String to) throws IOException;

    /**
     * Where vacation replies of these users are remembered, if this store keeps them too (default: empty; then
     * {@code SieveDelivery} needs its own {@link VacationMemory}).
     */
    default Optional<VacationMemory> vacationMemory() {
        return Optional.empty();
    }

    /**
     * What {@code include} finds for a user's script: by default the user's own scripts ({@code :personal}) and no
     * global ones.
     */
    default IncludeResolver includes(AccountId account) {
        return (global, name) -> global || SieveScripts.nameProblem(name) != null ? Optional.empty()
                : read(account, name);
    }
}
