/**
 * Not API: the engine every mailkit store shares. {@link dev.mailkit.store.internal.MailboxEngine} holds one
 * mailbox's semantics (index, UIDs, MODSEQ, {@code \Recent}, change log, quota accounting) and leaves where
 * message content lives to a subclass; {@link dev.mailkit.store.internal.MessageTable} is the compact index;
 * views follow the change log ({@code Change}) from their own cursor.
 */
package dev.mailkit.store.internal;
