package dev.mailkit.sieve;

import java.util.Objects;

/**
 * The envelope a script sees (the envelope test, RFC 5228 5.4; vacation's replies): the reverse-path and the
 * recipient whose copy the script decides about.
 *
 * @param from the reverse-path, "" for the null reverse-path {@code <>}
 * @param to   the recipient (after alias expansion: the user's address)
 */
public record SieveEnvelope(String from, String to) {
    /** Validates. */
    public SieveEnvelope {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
    }
}
