package dev.mailkit.imap.internal.command;

import java.util.Map;

/**
 * GETQUOTA root, GETQUOTAROOT mailbox, or SETQUOTA root (resource limit...) (RFC 9208). {@code argument} is the quota
 * root or (GETQUOTAROOT) the decoded mailbox name; {@code limits} is empty except for SETQUOTA.
 */
public record QuotaCommand(String tag, Kind kind, String argument, Map<String, Long> limits) implements Command {
    /** Which of the three commands. */
    public enum Kind { GETQUOTA, GETQUOTAROOT, SETQUOTA }

    public QuotaCommand {
        limits = Map.copyOf(limits);
    }

    @Override
    public String name() {
        return kind.name();
    }
}
