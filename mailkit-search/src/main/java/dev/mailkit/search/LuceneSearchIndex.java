package dev.mailkit.search;

import dev.mailkit.search.internal.IndexEngine;
import dev.mailkit.search.internal.Indexes;
import dev.mailkit.store.AccountId;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.UidSet;
import dev.mailkit.store.search.SearchIndex;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A full-text index of mailboxes on Apache Lucene that answers IMAP {@code SEARCH BODY} and {@code SEARCH TEXT}
 * exactly as reading the messages would ({@link SearchIndex}), in milliseconds instead of a read of every message.
 *
 * <pre>{@code
 * LuceneSearchIndex index = LuceneSearchIndex.builder().directory(data.resolve(".search-index")).build();
 * ImapServer imap = ImapServer.builder().store(store).users(users).searchIndex(index).build().start();
 * }</pre>
 *
 * <h2>How it stays exact</h2>
 * Every message's texts (header field names and decoded values, decoded text parts, attached messages' header
 * values) are indexed as overlapping three-character terms, folded as IMAP SEARCH folds characters, with their
 * positions: a string of three or more characters occurs in a text exactly when its trigrams occur at consecutive
 * positions, and a shorter one when a term starts with it. Before it answers, the index catches up with the
 * mailbox: messages it does not have are indexed, expunged ones deleted. A mailbox re-created under the same name
 * (another UIDVALIDITY) is indexed anew; an index directory that was deleted or damaged is built again; messages
 * indexed but not yet committed when the process died are found missing and indexed again. Mailboxes searched
 * recently (64 by default) are watched, so mail is indexed as it arrives, not at the next search. When it cannot
 * answer exactly (a message it could not read), it says so and IMAP reads the messages.
 *
 * <p>Thread-safe. {@link #close()} commits and releases the index.
 */
public final class LuceneSearchIndex implements SearchIndex, AutoCloseable {
    private final IndexEngine engine;
    private final Indexes indexes;
    private final ThreadPoolExecutor pool;

    private LuceneSearchIndex(Builder b) throws IOException {
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(b.threads, b.threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                r -> {
                    Thread t = new Thread(r, "mailkit-search-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        this.engine = new IndexEngine(b.directory, pool, b.threads, b.ramBufferMb);
        this.indexes = new Indexes(engine, pool, b.maxWatched);
    }

    /** A builder; {@link Builder#directory} is required. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Optional<UidSet> search(AccountId account, Mailbox mailbox, String text, boolean bodyOnly) {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(mailbox, "mailbox");
        Objects.requireNonNull(text, "text");
        return indexes.search(account, mailbox, text, bodyOnly);
    }

    /**
     * Indexes a mailbox now (what it lacks), and watches it: for example every mailbox of a store at start, so the
     * first search is fast.
     *
     * @throws UncheckedIOException if the index cannot be written
     */
    public void update(AccountId account, Mailbox mailbox) {
        try {
            indexes.update(account, mailbox);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Makes everything indexed so far durable (also done by {@link #close()}). */
    public void commit() {
        try {
            engine.commit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The index's directory. */
    public Path directory() {
        return engine.path();
    }

    /** Stops watching, commits and closes the index. Idempotent. */
    @Override
    public void close() {
        indexes.close();
        pool.shutdown();
        try {
            pool.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        engine.close();
    }

    @Override
    public String toString() {
        return "LuceneSearchIndex{" + engine.path() + "}";
    }

    /** Configures a {@link LuceneSearchIndex}; {@link #build()} validates and opens it. Not thread-safe. */
    public static final class Builder {
        private Path directory;
        private int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        private int maxWatched = 64;
        private int ramBufferMb = 64;

        private Builder() {
        }

        /** Where the index lives (required; created if missing; one index for every account). */
        public Builder directory(Path directory) {
            this.directory = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /** Threads that index (default: the processors). */
        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        /** How many recently searched mailboxes are kept current as mail arrives (default 64). */
        public Builder maxWatchedMailboxes(int n) {
            this.maxWatched = n;
            return this;
        }

        /** Lucene's indexing buffer in MiB (default 64). */
        public Builder ramBufferMb(int mb) {
            this.ramBufferMb = mb;
            return this;
        }

        /**
         * Opens the index (creating it, or building it again if it is damaged).
         *
         * @throws IllegalStateException if no directory is set or a setting is out of range
         * @throws UncheckedIOException  if the directory cannot be used
         */
        public LuceneSearchIndex build() {
            if (directory == null) {
                throw new IllegalStateException("LuceneSearchIndex needs a directory: call directory(...)");
            }
            if (threads < 1 || threads > 64) {
                throw new IllegalStateException("threads must be between 1 and 64, was " + threads);
            }
            if (maxWatched < 0) {
                throw new IllegalStateException("maxWatchedMailboxes cannot be negative, was " + maxWatched);
            }
            if (ramBufferMb < 1 || ramBufferMb > 2048) {
                throw new IllegalStateException("ramBufferMb must be between 1 and 2048, was " + ramBufferMb);
            }
            try {
                return new LuceneSearchIndex(this);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot open the search index in " + directory + ": "
                        + e.getMessage(), e);
            }
        }
    }
}
