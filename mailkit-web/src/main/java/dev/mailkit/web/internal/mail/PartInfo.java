package dev.mailkit.web.internal.mail;

import dev.mailkit.store.mime.MimePart;

/**
 * One leaf part of a message as the inbox shows it: its IMAP-style part number ({@code 1}, {@code 2.1}), its media
 * type, its file name (decoded, as the sender wrote it: never used as a path or put into a header unsanitised),
 * its Content-ID, and what role it plays (the text body, the HTML body, an inline image or an attachment).
 */
public final class PartInfo {
    /** What a leaf is for. */
    public enum Role { TEXT_BODY, HTML_BODY, INLINE, ATTACHMENT }

    private final String partId;
    private final MimePart part;
    private final String contentType;
    private final String fileName;
    private final String contentId;
    private final Role role;

    PartInfo(String partId, MimePart part, String contentType, String fileName, String contentId, Role role) {
        this.partId = partId;
        this.part = part;
        this.contentType = contentType;
        this.fileName = fileName;
        this.contentId = contentId;
        this.role = role;
    }

    /** The part number, {@code 1}, {@code 2}, {@code 2.1} ... (IMAP BODY[section] numbering). */
    public String partId() {
        return partId;
    }

    /** The store's description of the part (offsets, parameters). */
    public MimePart part() {
        return part;
    }

    /** {@code type/subtype} in lower case. */
    public String contentType() {
        return contentType;
    }

    /** The decoded file name, or empty. */
    public String fileName() {
        return fileName;
    }

    /** The Content-ID without angle brackets, or empty. */
    public String contentId() {
        return contentId;
    }

    /** The role. */
    public Role role() {
        return role;
    }

    /** The encoded size of the body (an estimate of the decoded size for base64: three quarters). */
    public long size() {
        String te = part.transferEncoding();
        long n = part.bodyLength();
        return te != null && te.equalsIgnoreCase("base64") ? n * 3 / 4 : n;
    }

    @Override
    public String toString() {
        return partId + " " + contentType + " " + role + (fileName.isEmpty() ? "" : " " + fileName);
    }
}
