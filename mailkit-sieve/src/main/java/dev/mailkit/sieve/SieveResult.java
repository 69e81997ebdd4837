package dev.mailkit.sieve;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What running a script decided for one message: the actions in order, and whether the implicit keep applies (with
 * the flags it stores the message with). When the script failed at run time (conflicting actions, a limit), the
 * actions are dropped and the implicit keep applies, as Pigeonhole does; {@link #failure()} says why. Immutable.
 */
public final class SieveResult {
    private final List<SieveAction> actions;
    private final boolean implicitKeep;
    private final List<String> implicitKeepFlags;
    private final String failure;

    /**
     * @param actions           the actions, in order
     * @param implicitKeep      whether the implicit keep applies
     * @param implicitKeepFlags the flags of the implicit keep
     * @param failure           the run-time error, or null
     */
    public SieveResult(List<SieveAction> actions, boolean implicitKeep, List<String> implicitKeepFlags,
                       String failure) {
        this.actions = List.copyOf(actions);
        this.implicitKeep = implicitKeep;
        this.implicitKeepFlags = List.copyOf(implicitKeepFlags);
        this.failure = failure;
    }

    /** The result of a script that failed: no action, the implicit keep. */
    public static SieveResult failed(String reason) {
        return new SieveResult(List.of(), true, List.of(), Objects.requireNonNull(reason, "reason"));
    }

    /** The actions, in the order the script took them. */
    public List<SieveAction> actions() {
        return actions;
    }

    /** Whether the message is also stored into the default mailbox (no action cancelled the implicit keep). */
    public boolean implicitKeep() {
        return implicitKeep;
    }

    /** The flags of the implicit keep (imap4flags' internal variable at the end). */
    public List<String> implicitKeepFlags() {
        return implicitKeepFlags;
    }

    /** Why the script failed at run time, if it did. */
    public Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    @Override
    public String toString() {
        return (failure != null ? "failed (" + failure + "): " : "") + actions
                + (implicitKeep ? " + implicit keep " + implicitKeepFlags : "");
    }
}
