package dev.mailkit.sieve;

import java.io.IOException;
import java.util.Optional;

/**
 * Finds the scripts a script includes (RFC 6609): the user's own ({@code :personal}, the default) and the
 * administrator's ({@code :global}). {@link SieveScripts} answers for a user's script directory.
 */
public interface IncludeResolver {
    /** Resolves nothing: every include is an error (or skipped with {@code :optional}). */
    static IncludeResolver none() {
        return (global, name) -> Optional.empty();
    }

    /**
     * The source of a script.
     *
     * @param global whether {@code :global} was asked for
     * @param name   the script's name (never contains a slash)
     * @return its source, or empty if there is no such script
     * @throws IOException if it exists but cannot be read
     */
    Optional<String> source(boolean global, String name) throws IOException;
}
