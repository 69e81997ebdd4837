package dev.mailkit.imap.internal.command;

/**
 * An IMAP URL (RFC 5092) that names one message or one section of it, as CATENATE's URL parts do (RFC 4469 3.1).
 * Everything is percent-decoded. {@code host} is null for the path forms ({@code /INBOX/;UID=1} and the
 * mailbox-relative {@code ;UID=1}); {@code mailbox} is null for the mailbox-relative form, which names a message in
 * the selected mailbox. {@code uidValidity} is 0 when the URL gives none. {@code section} names the bytes: the whole
 * message is an empty part path with no section text; {@code ;PARTIAL=} becomes its partial range.
 *
 * @param user     the {@code enc-user} of {@code imap://user@host/}, or null
 * @param host     the server, or null for a path without one
 * @param port     the port, or -1
 * @param mailbox  the mailbox name (UTF-8, decoded), or null for the selected mailbox
 * @param urlAuth  whether the URL carries {@code ;EXPIRE=} or {@code ;URLAUTH=} (RFC 4467)
 */
public record ImapUrl(String user, String host, int port, String mailbox, long uidValidity, long uid,
                      BodySection section, boolean urlAuth) {
}
