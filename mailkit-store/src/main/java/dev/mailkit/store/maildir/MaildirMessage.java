package dev.mailkit.store.maildir;

/**
 * The engine's reference to one message file of a Maildir: its base name, where it is ({@code new/}, or
 * {@code cur/} with which info letters), its size on disk, and where its parsed structure is cached. Mutable fields
 * change only under the mailbox's write lock (renames for flag changes) and the message's stripe lock in
 * {@link MessageFiles}, which readers take too: a file mailkit renames or deletes is never mistaken for one another
 * program moved or deleted.
 */
final class MaildirMessage {
    final String base;
    final long fileSize;
    /** The size with CRLF line ends (what readers get): {@link #fileSize} unless the file has bare LFs. */
    final long crlfSize;
    /** The UID, once committed (0 before). */
    volatile long uid;
    /** The letters after {@code :2,} ({@code cur/}), or null ({@code new/}). */
    volatile String info;
    /** The info of a rename under way, or null. */
    volatile String pendingInfo;
    /** Upper-case info letters mailkit has no flag for (such as {@code P}), kept on renames; usually null. */
    volatile String extra;
    /** Set when mailkit deleted the file (the message was expunged): a read that finds it gone is no surprise. */
    volatile boolean deleted;
    /** Offset of the cached structure in the mailbox's cache file, or -1. */
    volatile long cacheOffset = -1;

    MaildirMessage(String base, String info, long fileSize, long crlfSize) {
        this.base = base;
        this.info = info;
        this.fileSize = fileSize;
        this.crlfSize = crlfSize;
    }

    /** The file name now, relative to the mailbox directory. */
    String relativePath() {
        String i = info;
        return i == null ? "new/" + base : "cur/" + base + ":2," + i;
    }

    @Override
    public String toString() {
        return relativePath();
    }
}
