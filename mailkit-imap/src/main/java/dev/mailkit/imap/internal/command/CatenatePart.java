package dev.mailkit.imap.internal.command;

import dev.mailkit.core.MessageSource;

/** One part of an APPEND's CATENATE list (RFC 4469): new text, or a URL naming bytes already on the server. */
public sealed interface CatenatePart permits CatenatePart.Text, CatenatePart.Url {
    /** {@code TEXT literal} (or literal8): bytes the client sent, spooled while the command was read. */
    record Text(MessageSource content) implements CatenatePart {
    }

    /** {@code URL astring}: the URL as the client sent it; it is parsed and resolved when the APPEND runs. */
    record Url(String url) implements CatenatePart {
    }
}
