package dev.mailkit.store.maildir;

import dev.mailkit.store.MailStoreException;
import dev.mailkit.store.internal.StorageSync;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Keeps a Maildir mailbox's {@link IndexJournal mailkit-index} in step with its engine: every change becomes a
 * journal line ({@code A} add, {@code F} flags with the file's place, {@code X} expunge, {@code K} keyword), written
 * at the end of each locked section; the journal is compacted into a snapshot when it holds twice as many lines as
 * messages (plus 1000); a clean stop ends it with a {@code C} record. The {@link UidReservations} are written through
 * it. Used under the engine's write lock; not thread-safe by itself.
 */
final class IndexRecorder {
    private static final Logger LOG = LoggerFactory.getLogger(IndexRecorder.class);

    private final MaildirContext ctx;
    private final MailboxDirectory directory;
    private final StorageSync sync;
    private final MessageFiles files;
    private final UidReservations reservations = new UidReservations(this);
    // guarded by the engine's write lock
    private IndexJournal journal;
    private boolean broken;
    /** Index lines when loaded (a close with nothing recorded since need not compact). */
    private int loadedLines;

    IndexRecorder(MaildirContext ctx, MailboxDirectory directory, StorageSync sync, MessageFiles files) {
        this.ctx = ctx;
        this.directory = directory;
        this.sync = sync;
        this.files = files;
    }

    /** The UIDs and MODSEQs reserved through this index. */
    UidReservations reservations() {
        return reservations;
    }

    private Path file() {
        return directory.path().resolve(IndexJournal.FILE);
    }

    private IndexJournal journal() {
        if (directory.isClosed()) {
            throw new IllegalStateException("the Maildir store is closed");
        }
        return journal;
    }

    /**
     * Starts recording after a load: appending to the index as read ({@code readIndex}, with its reservations) or,
     * if null, to a compact index of the state just restored.
     */
    void open(IndexJournal.State readIndex) throws IOException {
        if (readIndex == null) {
            rewrite();
        } else {
            reservations.restore(readIndex.reservedUid, readIndex.reservedModSeq);
            journal = IndexJournal.append(this::file, readIndex.lines);
        }
        loadedLines = journal.lines();
    }

    /** Writes a compact index of the current state (durably) and continues appending to it. */
    void rewrite() throws IOException {
        long[] c = sync.counters();
        reservations.renew(c[0], c[1]);
        StringBuilder body = new StringBuilder(64 + 100 * files.count());
        formatReservation(body, reservations.uid(), reservations.modSeq());
        int[] lines = {1};
        for (String k : sync.keywords()) {
            body.append("K ").append(k).append('\n');
            lines[0]++;
        }
        sync.forEachRow((uid, flags, kw, modSeq, date, size, ref) -> {
            MaildirMessage m = (MaildirMessage) ref;
            IndexJournal.formatAdd(body, uid, modSeq, date, size, m.fileSize, flags, m.info, m.base, kw);
            lines[0]++;
        });
        IndexJournal old = journal;
        journal = IndexJournal.create(this::file, sync.uidValidity(), body, lines[0], ctx.sync);
        broken = false;
        if (old != null) {
            old.close();
        }
    }

    private static void formatReservation(StringBuilder sb, long uid, long modSeq) {
        sb.append("R ").append(uid).append(' ').append(modSeq).append('\n');
    }

    /** Writes a reservation record durably (before anything it covers is handed out). */
    void recordReservation(long uid, long modSeq) {
        IndexJournal j = journal();
        formatReservation(j.line(), uid, modSeq);
        try {
            if (ctx.sync) {
                j.sync();
            } else {
                j.flush();
            }
        } catch (IOException e) {
            throw new MailStoreException(MailStoreException.Reason.IO_ERROR, "cannot write mailkit's index in "
                    + directory.path() + ": " + e.getMessage(), e);
        }
    }

    /** New keywords were defined. */
    void keywordsDefined(List<String> newKeywords) {
        IndexJournal j = journal();
        for (String k : newKeywords) {
            j.line().append("K ").append(k).append('\n');
        }
    }

    /** A message was added. */
    void appended(long uid, MaildirMessage m, int flagBits, List<String> keywords, long modSeq, long date,
                  long size) {
        IndexJournal.formatAdd(journal().line(), uid, modSeq, date, size, m.fileSize, flagBits, m.info, m.base,
                keywords);
    }

    /** A message's flags changed (and its file is where {@code m.info} says). */
    void flagsChanged(long uid, MaildirMessage m, int flagBits, List<String> keywords, long modSeq) {
        StringBuilder sb = journal().line();
        sb.append("F ").append(uid).append(' ').append(modSeq).append(' ').append(flagBits).append(' ')
                .append(IndexJournal.whereToken(m.info));
        for (String k : keywords) {
            sb.append(' ').append(k);
        }
        sb.append('\n');
    }

    /** Messages were expunged. */
    void expunged(int[] uids, long modSeq) {
        StringBuilder sb = journal().line();
        sb.append("X ").append(modSeq);
        for (int u : uids) {
            sb.append(' ').append(Integer.toUnsignedLong(u));
        }
        sb.append('\n');
    }

    /**
     * Writes the lines of one locked section, compacting the index when it has grown. A failure is logged once: the
     * next start rebuilds the index from the files.
     */
    void changesDone() {
        IndexJournal j = journal();
        try {
            j.flush();
            if (j.lines() > 2L * files.count() + 1000) {
                rewrite();
            }
        } catch (IOException e) {
            if (!broken) {
                LOG.error("{}: cannot write mailkit's index: {}; the next start rebuilds it from the files",
                        directory.path(), e.toString());
            }
            broken = true;
        }
    }

    /** Whether the index is open (a load got as far as opening it). */
    boolean isOpen() {
        return journal != null;
    }

    /**
     * Records a clean stop: compacts the index if anything was recorded since the load (or a file was found moved),
     * then writes the {@code C} record with the counters and the mtimes of the directories that matched the index
     * exactly (-1 for one that did not), durably.
     */
    void recordCleanStop(long newStamp, long curStamp) throws IOException {
        if (files.foundMoved() || journal.lines() != loadedLines || broken) {
            rewrite();
        }
        long[] c = sync.counters();
        journal.line().append("C ").append(c[0]).append(' ').append(c[1]).append(' ').append(newStamp)
                .append(' ').append(curStamp).append(' ').append(c[2]).append('\n');
        if (ctx.sync) {
            journal.sync();
        } else {
            journal.flush();
        }
    }

    /** Closes the index file. */
    void close() {
        if (journal != null) {
            journal.close();
        }
    }
}
