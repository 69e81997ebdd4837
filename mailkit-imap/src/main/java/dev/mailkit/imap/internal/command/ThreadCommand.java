package dev.mailkit.imap.internal.command;

/** THREAD / UID THREAD algorithm charset keys (RFC 5256; REFS is Dovecot's REFERENCES ordered by newest). */
public record ThreadCommand(String tag, boolean uid, Algorithm algorithm, SearchKey key) implements Command {
    /** The threading algorithms. */
    public enum Algorithm { ORDEREDSUBJECT, REFERENCES, REFS }

    @Override
    public String name() {
        return uid ? "UID THREAD" : "THREAD";
    }
}
