package dev.mailkit.imap.internal.command;

/**
 * FETCH / UID FETCH set items [(CHANGEDSINCE modseq [VANISHED])] (RFC 3501 6.4.5, RFC 7162 3.1.4 and 3.2.6).
 * {@code changedSince} is -1 when absent; {@code vanished} asks UID FETCH for the UIDs of the set that are gone.
 */
public record FetchCommand(String tag, boolean uid, SequenceSet set, FetchRequest request, long changedSince,
                           boolean vanished) implements Command {
    public FetchCommand(String tag, boolean uid, SequenceSet set, FetchRequest request, long changedSince) {
        this(tag, uid, set, request, changedSince, false);
    }

    @Override
    public String name() {
        return uid ? "UID FETCH" : "FETCH";
    }
}
