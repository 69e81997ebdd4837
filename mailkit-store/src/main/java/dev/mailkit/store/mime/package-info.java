/**
 * The parsed structure of a message for IMAP's ENVELOPE, BODYSTRUCTURE and {@code BODY[section]}:
 * {@link dev.mailkit.store.mime.MessageStructure} (envelope + top-level part), {@link dev.mailkit.store.mime.MimePart}
 * (content fields and byte offsets of header and body), {@link dev.mailkit.store.mime.MessageEnvelope}, and a
 * streaming, bounded RFC 5322/2045/2046 parser with a compact cache form. No Jakarta Mail.
 */
package dev.mailkit.store.mime;
