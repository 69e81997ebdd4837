package dev.mailkit.imap.internal.message;

import dev.mailkit.core.MessageSource;

import java.io.IOException;
import java.time.Instant;

/**
 * One message as FETCH and SEARCH see it: the index data the store keeps at hand (UID, flags, dates, size,
 * MODSEQ) and, on demand, the cached envelope and structure and the content.
 */
public interface MessageData {
    long uid();

    /** The flags as this session sees them (including \Recent if it is recent for this session). */
    MessageFlags flags();

    Instant internalDate();

    /** RFC822.SIZE: the size in octets. */
    long size();

    /** The MODSEQ of the last change (CONDSTORE). */
    long modseq();

    /** The envelope header fields (cached by the store). */
    EnvelopeFields envelope() throws IOException;

    /** The MIME structure (cached by the store). */
    MimePart structure() throws IOException;

    /** Whether the mailbox keeps save dates (RFC 8514 SAVEDATESUPPORTED). */
    boolean keepsSaveDates();

    /** The save date (RFC 8514), or null if the store does not know it. */
    Instant saveDate();

    /** The EMAILID (RFC 8474), or null if the store has none for it. */
    String emailId() throws IOException;

    /** The THREADID (RFC 8474), or null. */
    String threadId() throws IOException;

    /** The content; the caller closes it when done. */
    MessageSource content() throws IOException;
}
