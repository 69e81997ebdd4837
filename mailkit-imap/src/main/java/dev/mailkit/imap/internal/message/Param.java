package dev.mailkit.imap.internal.message;

/** A MIME parameter: {@code name=value} (value decoded from RFC 2231 continuations by whoever parsed it). */
public record Param(String name, String value) {
}
