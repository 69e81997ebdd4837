package dev.mailkit.imap.internal.command;

/**
 * ESEARCH result options (RFC 4731; SAVE RFC 5182; UPDATE and PARTIAL RFC 5267, whose range is the command's
 * {@link PartialRange}). RFC 5267's CONTEXT is only a hint and is not kept.
 */
public enum SearchReturn { MIN, MAX, ALL, COUNT, SAVE, UPDATE, PARTIAL }
