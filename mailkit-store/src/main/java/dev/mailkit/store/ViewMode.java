package dev.mailkit.store;

/** How a session opens a {@link MailboxView}. */
public enum ViewMode {
    /**
     * Read and write (IMAP SELECT). The view claims the messages that are new to every session as its own
     * {@code \Recent} messages.
     */
    READ_WRITE,
    /** Read only (IMAP EXAMINE): flag changes and expunges through this view are refused; {@code \Recent} is not claimed. */
    READ_ONLY,
    /**
     * Read and write, and no other {@code EXCLUSIVE} view may be open on the mailbox at the same time (a POP3
     * maildrop lock): opening a second one fails with {@link MailStoreException.Reason#IN_USE}. Views of the other
     * modes are not affected. {@code \Recent} is not claimed.
     */
    EXCLUSIVE
}
