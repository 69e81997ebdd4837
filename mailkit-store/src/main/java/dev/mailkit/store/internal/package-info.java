/**
 * Not API: the engines every mailkit store shares. {@link dev.mailkit.store.internal.AccountEngine} holds one
 * account's rules (hierarchy, subscriptions, quota) and leaves which mailboxes exist to a subclass;
 * {@link dev.mailkit.store.internal.MailboxEngine} holds one mailbox's semantics (index, UIDs, MODSEQ, flags) and
 * coordinates its collaborators (the change log views follow, {@code \Recent} claims, copies between mailboxes,
 * content reading), leaving where message content lives to the store's
 * {@link dev.mailkit.store.internal.MailboxStorage}; {@link dev.mailkit.store.internal.MessageTable} is the compact
 * index.
 */
package dev.mailkit.store.internal;
