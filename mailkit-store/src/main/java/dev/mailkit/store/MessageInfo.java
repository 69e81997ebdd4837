package dev.mailkit.store;

import java.time.Instant;
import java.util.Objects;

/**
 * What a store knows about a message without reading it: IMAP's UID, FLAGS, INTERNALDATE, RFC822.SIZE and MODSEQ.
 *
 * @param uid          the UID
 * @param flags        the flags and keywords
 * @param internalDate the internal date (when the message arrived, or the date given to APPEND), whole seconds
 * @param size         the size in octets of the content {@link Mailbox#content(long)} returns
 * @param modSeq       the MODSEQ of the message's last change (RFC 7162)
 */
public record MessageInfo(long uid, Flags flags, Instant internalDate, long size, long modSeq) {
    /** Validates. */
    public MessageInfo {
        Objects.requireNonNull(flags, "flags");
        Objects.requireNonNull(internalDate, "internalDate");
    }
}
