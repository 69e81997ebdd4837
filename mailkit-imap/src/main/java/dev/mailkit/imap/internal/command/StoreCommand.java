package dev.mailkit.imap.internal.command;

import dev.mailkit.imap.internal.message.MessageFlags;

/**
 * STORE / UID STORE set [(UNCHANGEDSINCE modseq)] (+|-)FLAGS[.SILENT] flags (RFC 3501 6.4.6, RFC 7162 3.1.3).
 * {@code unchangedSince} is -1 when absent.
 */
public record StoreCommand(String tag, boolean uid, SequenceSet set, long unchangedSince, Action action,
                           boolean silent, MessageFlags flags) implements Command {
    /** FLAGS, +FLAGS, -FLAGS. */
    public enum Action { REPLACE, ADD, REMOVE }

    @Override
    public String name() {
        return uid ? "UID STORE" : "STORE";
    }
}
