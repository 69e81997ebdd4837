package dev.mailkit.store.mime;

import dev.mailkit.core.MessageSource;

import java.io.IOException;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.io.InputStream;
import java.util.Objects;

/**
 * A message's envelope and MIME structure, with the byte offsets of every part, so that IMAP's ENVELOPE,
 * BODYSTRUCTURE and {@code BODY[section]} are served without parsing the message again: a section is a ranged read
 * of the content at the offsets given here. A neutral model (no IMAP syntax); stores cache it per message.
 *
 * <p>The {@link #body() body} is the message's top-level part: its header is the message header, its body the
 * message body (IMAP {@code BODY[HEADER]} and {@code BODY[TEXT]}); for a multipart message its
 * {@link MimePart#children() children} are parts 1, 2, ...; a {@code message/rfc822} part carries its own
 * {@link MimePart#message() MessageStructure}, whose offsets are, like all offsets, from the start of the outermost
 * message.
 *
 * <h2>Parsing</h2>
 * {@link #parse(InputStream)} reads RFC 5322/2045/2046 messages in one streaming pass with a fixed-size buffer,
 * and never fails on malformed input: a missing closing boundary ends the part at the next enclosing boundary or at
 * the end; an invalid {@code Content-Type} counts as {@code text/plain}. Boundaries are matched, as Dovecot does,
 * on lines that begin with {@code --} and the boundary (the longest active boundary that matches wins), and the
 * line break before a boundary belongs to the boundary, not to the part (except, as in Dovecot, a line break that
 * ends a header's empty line, a delimiter line or a nested multipart's close delimiter when a boundary follows at
 * once: {@code --inner--CRLF--outer} leaves that CRLF in the nested multipart, and an embedded message's
 * {@code Subject: x CRLF CRLF --outer} in its header and so in the {@code message/rfc822} part's body; every part
 * lies within its parent). Hostile input is bounded: at most
 * {@value #MAX_DEPTH} levels of nesting and {@value #MAX_PARTS} parts (deeper or further structure is body of
 * the enclosing part), header values are kept up to 64 KiB each and 1 MiB in all (beyond that only short prefixes
 * of each field), boundaries up to {@value #MAX_BOUNDARY_LENGTH} characters; line length is unlimited.
 *
 * <p>Immutable and thread-safe.
 */
public final class MessageStructure {
    /** The deepest nesting of multiparts and embedded messages that is parsed. */
    public static final int MAX_DEPTH = 100;
    /** The most parts that are parsed in one message. */
    public static final int MAX_PARTS = 10_000;
    /** The longest boundary that is used as given (longer ones are cut to this many characters). */
    public static final int MAX_BOUNDARY_LENGTH = 1000;

    private final MessageEnvelope envelope;
    private final MimePart body;
    private final byte[] digest;

    /** Creates a structure (for stores and tests; {@link #parse} is the usual way), without a content digest. */
    public MessageStructure(MessageEnvelope envelope, MimePart body) {
        this(envelope, body, null);
    }

    /**
     * Creates a structure with the SHA-256 digest of the whole message's content (null for none, as for the
     * structure of an embedded message).
     */
    public MessageStructure(MessageEnvelope envelope, MimePart body, byte[] contentDigest) {
        this.envelope = Objects.requireNonNull(envelope, "envelope");
        this.body = Objects.requireNonNull(body, "body");
        if (contentDigest != null && contentDigest.length != 32) {
            throw new IllegalArgumentException("a SHA-256 digest has 32 bytes, not " + contentDigest.length);
        }
        this.digest = contentDigest == null ? null : contentDigest.clone();
    }

    /**
     * Parses a message, reading the stream to its end (the caller closes it).
     *
     * @throws IOException if the stream fails
     */
    public static MessageStructure parse(InputStream message) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
        DigestInputStream in = new DigestInputStream(message, sha);
        MessageStructure s = new StructureParser(in).parse();
        in.transferTo(OutputStream.nullOutputStream()); // the parser reads to the end; make sure of it
        return new MessageStructure(s.envelope, s.body, sha.digest());
    }

    /** Parses a message from a source. */
    public static MessageStructure parse(MessageSource message) {
        try (InputStream in = message.openStream()) {
            return parse(in);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read the message to parse it: " + e.getMessage(), e);
        }
    }

    /**
     * Restores a structure from {@link #toBytes()}.
     *
     * @throws IllegalArgumentException if the bytes are not a structure of this format version
     */
    public static MessageStructure fromBytes(byte[] bytes) {
        return StructureCodec.decode(bytes);
    }

    /**
     * Restores only the envelope from {@link #toBytes()}, without decoding the part tree (IMAP ENVELOPE and the
     * envelope SEARCH keys need no more).
     *
     * @throws IllegalArgumentException if the bytes are not a structure of this format version
     */
    public static MessageEnvelope envelopeFromBytes(byte[] bytes) {
        return StructureCodec.decodeEnvelope(bytes);
    }

    /**
     * Whether {@code bytes} (from {@link #toBytes()}) are of the format version this class reads. A cache holding
     * another version parses the message again: the version changes when the parse result would.
     */
    public static boolean isCurrentFormat(byte[] bytes) {
        return StructureCodec.isCurrent(bytes);
    }

    /** A compact binary form for caches (a few dozen bytes plus the header values); see {@link #fromBytes}. */
    public byte[] toBytes() {
        return StructureCodec.encode(this);
    }

    /** The envelope fields of the message header. */
    public MessageEnvelope envelope() {
        return envelope;
    }

    /** The top-level part: the message header and body. */
    public MimePart body() {
        return body;
    }

    /**
     * The SHA-256 digest of the whole message's content as the store serves it, or null if this structure has none
     * (an embedded message's, or one made without).
     */
    public byte[] contentDigest() {
        return digest == null ? null : digest.clone();
    }

    /**
     * The message's EMAILID (RFC 8474): {@code M} and the first 128 bits of its {@link #contentDigest()} in hex, so
     * the same content has the same EMAILID wherever it is stored (a COPY or MOVE keeps it, every node of a shared
     * database computes the same), and different content never shares one. Null without a digest.
     */
    public String emailId() {
        if (digest == null) {
            return null;
        }
        return "M" + java.util.HexFormat.of().formatHex(digest, 0, 16);
    }

    /** The total size of the message in octets (header and body). */
    public long size() {
        return body.headerLength() + body.bodyLength();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MessageStructure && ((MessageStructure) o).envelope.equals(envelope)
                && ((MessageStructure) o).body.equals(body)
                && java.util.Arrays.equals(((MessageStructure) o).digest, digest);
    }

    @Override
    public int hashCode() {
        return envelope.hashCode() * 31 + body.hashCode();
    }

    @Override
    public String toString() {
        return "MessageStructure{" + body + "}";
    }
}
