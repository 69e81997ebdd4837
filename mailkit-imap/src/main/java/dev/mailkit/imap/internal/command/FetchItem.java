package dev.mailkit.imap.internal.command;

/** One FETCH data item: a {@link FetchAttribute} or a {@link BodySection}. */
public sealed interface FetchItem permits FetchAttribute, BodySection {
}
