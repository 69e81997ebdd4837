package dev.mailkit.store.mime;

import java.util.List;
import java.util.Objects;

/**
 * One MIME part (RFC 2045/2046): its content fields as written, where its header and body lie in the message,
 * and its children (multipart) or embedded message ({@code message/rfc822}).
 *
 * <p>Field values are kept as the message has them, without IMAP's defaults, except the content type: a part
 * without a valid {@code Content-Type} is {@code text/plain} ({@code message/rfc822} inside
 * {@code multipart/digest}), with no parameters; {@link #charset()} applies RFC 2045's default {@code us-ascii}.
 * Fields a part does not have are null (lists: empty).
 *
 * <h2>Offsets</h2>
 * All offsets are octets from the start of the outermost message. The header runs from {@link #headerOffset()}
 * for {@link #headerLength()} octets and includes the empty line that ends it (IMAP {@code BODY[n.MIME]}, or
 * {@code BODY[HEADER]} for a message's top-level part); the body follows directly, {@link #bodyLength()} octets
 * (IMAP {@code BODY[n]}, the size in BODYSTRUCTURE), not including the line break before the next boundary
 * (as Dovecot counts it, a line break that ends a header, a delimiter line or a nested multipart's close delimiter
 * right before a boundary stays there, and so in every enclosing part that ends at that boundary: a part's header
 * and body always lie within its parent's body).
 * {@link #bodyLines()} counts the line feeds in the body (BODYSTRUCTURE's line count for {@code text/*} and
 * {@code message/rfc822} parts).
 *
 * <p>Immutable and thread-safe.
 */
public final class MimePart {
    private final String type;
    private final String subtype;
    private final List<MimeParameter> parameters;
    private final String id;
    private final String description;
    private final String transferEncoding;
    private final String md5;
    private final String dispositionType;
    private final List<MimeParameter> dispositionParameters;
    private final List<String> languages;
    private final String location;
    private final long headerOffset;
    private final long headerLength;
    private final long bodyLength;
    private final long bodyLines;
    private final List<MimePart> children;
    private final MessageStructure message;

    /**
     * Creates a part (for stores and tests; {@link MessageStructure#parse} is the usual way).
     *
     * @param type                  the media type, such as {@code text} (never null)
     * @param subtype               the subtype, such as {@code plain} (never null)
     * @param parameters            the {@code Content-Type} parameters
     * @param id                    {@code Content-ID}
     * @param description           {@code Content-Description}
     * @param transferEncoding      {@code Content-Transfer-Encoding}, such as {@code base64}
     * @param md5                   {@code Content-MD5}
     * @param dispositionType       the {@code Content-Disposition} type, such as {@code attachment}
     * @param dispositionParameters the {@code Content-Disposition} parameters
     * @param languages             the {@code Content-Language} tags
     * @param location              {@code Content-Location}
     * @param headerOffset          where the header starts
     * @param headerLength          the header's length, including the empty line after it
     * @param bodyLength            the body's length
     * @param bodyLines             the number of line feeds in the body
     * @param children              the parts of a multipart
     * @param message               the embedded message of a {@code message/rfc822} part, or null
     */
    public MimePart(String type, String subtype, List<MimeParameter> parameters, String id, String description,
                    String transferEncoding, String md5, String dispositionType,
                    List<MimeParameter> dispositionParameters, List<String> languages, String location,
                    long headerOffset, long headerLength, long bodyLength, long bodyLines,
                    List<MimePart> children, MessageStructure message) {
        this.type = Objects.requireNonNull(type, "type");
        this.subtype = Objects.requireNonNull(subtype, "subtype");
        this.parameters = List.copyOf(parameters);
        this.id = id;
        this.description = description;
        this.transferEncoding = transferEncoding;
        this.md5 = md5;
        this.dispositionType = dispositionType;
        this.dispositionParameters = List.copyOf(dispositionParameters);
        this.languages = List.copyOf(languages);
        this.location = location;
        if (headerOffset < 0 || headerLength < 0 || bodyLength < 0 || bodyLines < 0) {
            throw new IllegalArgumentException("negative offset or length");
        }
        this.headerOffset = headerOffset;
        this.headerLength = headerLength;
        this.bodyLength = bodyLength;
        this.bodyLines = bodyLines;
        this.children = List.copyOf(children);
        this.message = message;
    }

    /** The media type as written, such as {@code text} or {@code Multipart}. */
    public String type() {
        return type;
    }

    /** The subtype as written, such as {@code plain}. */
    public String subtype() {
        return subtype;
    }

    /** Whether the type and subtype are these (ignoring case). */
    public boolean is(String type, String subtype) {
        return this.type.equalsIgnoreCase(type) && this.subtype.equalsIgnoreCase(subtype);
    }

    /** Whether this is a {@code multipart/*} part. */
    public boolean isMultipart() {
        return type.equalsIgnoreCase("multipart");
    }

    /** Whether this is a {@code text/*} part. */
    public boolean isText() {
        return type.equalsIgnoreCase("text");
    }

    /** The {@code Content-Type} parameters, in order. */
    public List<MimeParameter> parameters() {
        return parameters;
    }

    /** The value of a {@code Content-Type} parameter (name ignoring case), or null. */
    public String parameter(String name) {
        return find(parameters, name);
    }

    /** The charset parameter, or {@code us-ascii} for a text part without one (RFC 2045), or null. */
    public String charset() {
        String c = parameter("charset");
        return c != null ? c : isText() ? "us-ascii" : null;
    }

    /** {@code Content-ID}, or null. */
    public String id() {
        return id;
    }

    /** {@code Content-Description}, or null. */
    public String description() {
        return description;
    }

    /** {@code Content-Transfer-Encoding} as written (IMAP's default is {@code 7BIT}), or null. */
    public String transferEncoding() {
        return transferEncoding;
    }

    /** {@code Content-MD5}, or null. */
    public String md5() {
        return md5;
    }

    /** The {@code Content-Disposition} type, such as {@code inline} or {@code attachment}, or null. */
    public String dispositionType() {
        return dispositionType;
    }

    /** The {@code Content-Disposition} parameters. */
    public List<MimeParameter> dispositionParameters() {
        return dispositionParameters;
    }

    /** The {@code Content-Language} tags. */
    public List<String> languages() {
        return languages;
    }

    /** {@code Content-Location}, or null. */
    public String location() {
        return location;
    }

    /** Where the part's header starts. */
    public long headerOffset() {
        return headerOffset;
    }

    /** The header's length, including the empty line that ends it. */
    public long headerLength() {
        return headerLength;
    }

    /** Where the body starts ({@code headerOffset() + headerLength()}). */
    public long bodyOffset() {
        return headerOffset + headerLength;
    }

    /** The body's length in octets. */
    public long bodyLength() {
        return bodyLength;
    }

    /** The number of line feeds in the body. */
    public long bodyLines() {
        return bodyLines;
    }

    /** The parts of a multipart (empty for other parts, and for a multipart without a usable boundary). */
    public List<MimePart> children() {
        return children;
    }

    /**
     * The embedded message of a {@code message/rfc822} (or {@code message/global}) part, or null for other parts
     * and for one whose content is encoded (then it is described as a plain part).
     */
    public MessageStructure message() {
        return message;
    }

    private static String find(List<MimeParameter> params, String name) {
        for (MimeParameter p : params) {
            if (p.name().equalsIgnoreCase(name)) {
                return p.value();
            }
        }
        return null;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof MimePart)) {
            return false;
        }
        MimePart p = (MimePart) o;
        return headerOffset == p.headerOffset && headerLength == p.headerLength && bodyLength == p.bodyLength
                && bodyLines == p.bodyLines && type.equals(p.type) && subtype.equals(p.subtype)
                && parameters.equals(p.parameters) && Objects.equals(id, p.id)
                && Objects.equals(description, p.description) && Objects.equals(transferEncoding, p.transferEncoding)
                && Objects.equals(md5, p.md5) && Objects.equals(dispositionType, p.dispositionType)
                && dispositionParameters.equals(p.dispositionParameters) && languages.equals(p.languages)
                && Objects.equals(location, p.location) && children.equals(p.children)
                && Objects.equals(message, p.message);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, subtype, headerOffset, headerLength, bodyLength, children.size());
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(type).append('/').append(subtype).append('[').append(headerOffset).append('+').append(headerLength)
                .append(',').append(bodyLength).append('B').append(',').append(bodyLines).append('L').append(']');
        if (!children.isEmpty()) {
            sb.append(children);
        }
        if (message != null) {
            sb.append('{').append(message.body()).append('}');
        }
        return sb.toString();
    }
}
