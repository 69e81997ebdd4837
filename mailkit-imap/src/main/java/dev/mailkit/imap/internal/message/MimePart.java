package dev.mailkit.imap.internal.message;

import java.util.List;

/**
 * What the IMAP server needs to know about one MIME part to render BODY/BODYSTRUCTURE and to serve
 * {@code BODY[section]}: the parsed Content-* fields and the byte offsets of the part's header and body within the
 * whole message. The store keeps this cached so that FETCH never re-parses messages; an adapter presents the store's
 * model through this interface.
 *
 * <p>String values are as they appear in the message (not decoded, case kept); null when the field is absent. The
 * renderer applies the RFC 2045 defaults (text/plain; charset us-ascii; 7bit).
 */
public interface MimePart {
    /** The media type ({@code text}), or null when there is no Content-Type. */
    String type();

    /** The subtype ({@code plain}), or null. */
    String subtype();

    /** The Content-Type parameters in order (names as in the message). */
    List<Param> params();

    /** Content-ID, or null. */
    String id();

    /** Content-Description, or null. */
    String description();

    /** Content-Transfer-Encoding, or null. */
    String encoding();

    /** Content-MD5, or null. */
    String md5();

    /** The disposition type ({@code inline}, {@code attachment}), or null. */
    String dispositionType();

    /** The Content-Disposition parameters. */
    List<Param> dispositionParams();

    /** The Content-Language tags (empty when absent). */
    List<String> language();

    /** Content-Location, or null. */
    String location();

    /** Offset of the part's header in the message (0 for the message itself). */
    long headerOffset();

    /** Offset of the part's body (just after the blank line that ends its header). */
    long bodyOffset();

    /** Offset just after the part's body (for a part inside a multipart, before the CRLF of the next boundary). */
    long endOffset();

    /** The number of lines of the body (text and message/rfc822 parts), counted as line ends. */
    long lines();

    /** The parts of a multipart (empty otherwise). */
    List<? extends MimePart> children();

    /** For message/rfc822: the encapsulated message's header fields for ENVELOPE; null otherwise. */
    EnvelopeFields messageEnvelope();

    /** For message/rfc822: the encapsulated message as a part (its header starts at this part's body); else null. */
    MimePart message();

    /** The size of the body in octets. */
    default long bodySize() {
        return endOffset() - bodyOffset();
    }

    /** Whether this is a multipart (its type is "multipart", any case). */
    default boolean isMultipart() {
        return "multipart".equalsIgnoreCase(type());
    }

    /** Whether this is an encapsulated message (message/rfc822, message/global). */
    default boolean isMessage() {
        return message() != null;
    }
}
