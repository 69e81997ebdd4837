package dev.mailkit.imap.internal.command;

/**
 * SELECT or EXAMINE (readOnly) mailbox [(CONDSTORE | QRESYNC (...))] (RFC 3501 6.3.1/6.3.2, RFC 7162 3.1.8 and
 * 3.2.5). {@code qresync} is null without the QRESYNC parameter.
 */
public record SelectCommand(String tag, String mailbox, boolean readOnly, boolean condstore, Qresync qresync)
        implements Command {
    /**
     * QRESYNC's parameter: what the client had cached ({@code knownUids} null when not given; the sequence match
     * data is read and not used: it only helps a server that cannot tell which UIDs were expunged).
     */
    public record Qresync(long uidValidity, long modSeq, SequenceSet knownUids) {
    }

    public SelectCommand(String tag, String mailbox, boolean readOnly, boolean condstore) {
        this(tag, mailbox, readOnly, condstore, null);
    }

    @Override
    public String name() {
        return readOnly ? "EXAMINE" : "SELECT";
    }
}
