package dev.mailkit.store.internal;

import dev.mailkit.core.MessageSource;

import java.io.IOException;
import java.util.List;

/**
 * What a store provides to a {@link MailboxEngine}: where the messages of one mailbox live (storage hooks) and, for a
 * durable store, how the engine's changes are recorded (change hooks). The engine holds the semantics and the lock;
 * a store says only this. The engine's reference to a message ({@code ref}) is whatever {@link #storeContent}
 * returned: a byte array holder for the in-memory store, a file name for the Maildir store.
 *
 * <h2>Storage hooks</h2>
 * Called without the mailbox lock: content is written before the commit that assigns its UID and discarded after
 * the expunge that removed it, so that big messages never hold the lock.
 *
 * <h2>Change hooks</h2>
 * Called under the mailbox's write lock, in the order of the changes, only if {@link #recordsChanges()};
 * {@link #changesDone()} ends each locked section that called one of them.
 */
public abstract class MailboxStorage {
    /** For subclasses. */
    protected MailboxStorage() {
    }

    // ---------------------------------------------------------------------------------------------- storage hooks

    /** Stores a new message's content (called without locks, before the commit) and returns its reference. */
    protected abstract Object storeContent(MessageSource message) throws IOException;

    /**
     * Stores a new message's content with the flags and internal date it will have, for stores that keep them
     * with the content (a Maildir file name carries the flags, its mtime the date). The default ignores them.
     *
     * @param date epoch seconds
     */
    protected Object storeContent(MessageSource message, int flagBits, List<String> keywords, long date)
            throws IOException {
        return storeContent(message);
    }

    /**
     * Shares or copies a message of another mailbox (of any store) into this one's storage without going through
     * its content, or returns null to have it streamed through {@link #storeContent}. Called without locks.
     */
    protected Object importContent(MailboxStorage source, Object sourceRef) throws IOException {
        return null;
    }

    /**
     * Like {@link #importContent(MailboxStorage, Object)}, with the flags and internal date the copy will have. The
     * default ignores them.
     */
    protected Object importContent(MailboxStorage source, Object sourceRef, int flagBits, List<String> keywords,
                                   long date) throws IOException {
        return importContent(source, sourceRef);
    }

    /** Opens a stored message's content. */
    protected abstract MessageSource openContent(Object ref) throws IOException;

    /** Deletes a message's content after it was expunged or its commit failed (called without locks). */
    protected abstract void discardContent(Object ref);

    /** The cached structure of a message, or null. */
    protected abstract byte[] cachedStructure(Object ref);

    /** Caches the structure of a message. */
    protected abstract void cacheStructure(Object ref, byte[] structure);

    /**
     * Called, without locks, before {@link MailboxEngine#status()} and {@link MailboxEngine#openView}: a store that
     * other programs write to picks up their changes here (see {@link StorageSync#adopt}).
     */
    protected void refresh() {
    }

    /**
     * A READ-WRITE session of this process claimed {@code \Recent} for the messages with UIDs from {@code from} up to
     * (not including) {@code to}, which no session of this process had. A store whose mailbox several processes share
     * records the claim and returns the first UID of them that no session of any process had claimed ({@code to} if
     * others had them all); the default (one process) returns {@code from}. Called under the engine's or a view's
     * lock; it must not call the engine.
     */
    protected long claimRecent(long from, long to) {
        return from;
    }

    // ---------------------------------------------------------------------------------------------- change hooks

    /** Whether the change hooks want their arguments (if not, the engine skips computing them). */
    protected boolean recordsChanges() {
        return false;
    }

    /**
     * Whether appends of concurrent deliveries to this mailbox are recorded together: the appends that wait for the
     * mailbox's lock while one is recorded are then recorded by the next of them in one change (one
     * {@link #changesBegin()} ... {@link #changesDone()}), each returning only once that change is recorded. For a
     * store whose recording costs one durable commit per change (mailkit-postgres); the default is false, one change
     * per append.
     */
    protected boolean groupsAppends() {
        return false;
    }

    /**
     * The start of a locked section that may change the mailbox, before the engine reads its counters, for a store
     * that several processes change (mailkit-postgres, with several nodes on one database): it locks its record of the
     * mailbox against the other processes and brings the engine up to date with their changes (through
     * {@link StorageSync#apply}), so that the UIDs and MODSEQs the engine hands out next are the record's next ones.
     * If it throws, nothing has been changed and it must have released what it locked; otherwise
     * {@link #changesEnd()} follows.
     */
    protected void changesBegin() {
    }

    /**
     * The end of a locked section that called {@link #changesBegin()}, whether it changed something, failed, or
     * changed nothing: a store releases what {@code changesBegin} locked (and forgets what was recorded but not
     * flushed by {@link #changesDone()}).
     */
    protected void changesEnd() {
    }

    /** Before UIDs up to {@code lastUid} are assigned: a durable store makes sure they can never be assigned again. */
    protected void reserveUids(long lastUid) {
    }

    /** Before MODSEQ {@code modSeq} is used: a durable store makes sure HIGHESTMODSEQ never goes back below it. */
    protected void reserveModSeq(long modSeq) {
    }

    /** New keywords were defined (in definition order). */
    protected void keywordsDefined(List<String> newKeywords) {
    }

    /** A message was added. */
    protected void appended(long uid, Object ref, int flagBits, List<String> keywords, long modSeq, long date,
                            long size) {
    }

    /** A message's flags changed. */
    protected void flagsChanged(long uid, Object ref, int flagBits, List<String> keywords, long modSeq) {
    }

    /** Messages were expunged (their content is discarded after the lock is released). */
    protected void expunged(int[] uids, Object[] refs, long modSeq) {
    }

    /** The end of a locked section that called the hooks above: a store flushes what it recorded. */
    protected void changesDone() {
    }
}
