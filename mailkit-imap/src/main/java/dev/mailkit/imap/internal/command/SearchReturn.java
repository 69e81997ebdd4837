package dev.mailkit.imap.internal.command;

/** ESEARCH result options (RFC 4731, RFC 5182 SAVE). */
public enum SearchReturn { MIN, MAX, ALL, COUNT, SAVE }
