package dev.mailkit.imap.internal.command;

/**
 * FETCH / UID FETCH set items [(CHANGEDSINCE modseq)] (RFC 3501 6.4.5, RFC 7162 3.1.4). {@code changedSince} is
 * -1 when absent.
 */
public record FetchCommand(String tag, boolean uid, SequenceSet set, FetchRequest request, long changedSince)
        implements Command {
    @Override
    public String name() {
        return uid ? "UID FETCH" : "FETCH";
    }
}
