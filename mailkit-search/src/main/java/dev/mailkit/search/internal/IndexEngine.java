package dev.mailkit.search.internal;

import dev.mailkit.core.MessageSource;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxStatus;
import dev.mailkit.store.MailboxView;
import dev.mailkit.store.UidSet;
import dev.mailkit.store.ViewMode;
import dev.mailkit.store.mime.MessageStructure;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.PhraseQuery;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.SimpleCollector;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * The Lucene side of the index: one Lucene index for the whole store, a document per message ({@code box}: account
 * and mailbox name, {@code key}: with UIDVALIDITY, {@code id}: with the UID, the UID as doc values, and the trigram
 * fields {@code h} for the header and {@code b} for the body), near-real-time searchers, and the catch-up that
 * brings one mailbox's documents in line with the mailbox. Thread-safe (IndexWriter and SearcherManager are; a
 * mailbox's catch-up holds its lock).
 */
public final class IndexEngine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("dev.mailkit.search.LuceneSearchIndex");
    static final FieldType TRIGRAMS = new FieldType();

    static {
        TRIGRAMS.setIndexOptions(IndexOptions.DOCS_AND_FREQS_AND_POSITIONS);
        TRIGRAMS.setTokenized(true);
        TRIGRAMS.setOmitNorms(true);
        TRIGRAMS.freeze();
    }

    private final Path path;
    private final Directory directory;
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private final ExecutorService pool;
    private final int threads;

    /** Opens (or creates) the index in {@code path}; a damaged index is deleted and created anew. */
    public IndexEngine(Path path, ExecutorService pool, int threads, int ramBufferMb) throws IOException {
        this.path = path;
        this.pool = pool;
        this.threads = threads;
        Files.createDirectories(path);
        Directory d = FSDirectory.open(path);
        IndexWriter w;
        try {
            w = new IndexWriter(d, config(ramBufferMb));
            DirectoryReader.open(w).close();
        } catch (IOException | RuntimeException e) {
            LOG.warn("the search index in {} cannot be opened ({}); it is built again", path, e.toString());
            d.close();
            deleteTree(path);
            Files.createDirectories(path);
            d = FSDirectory.open(path);
            w = new IndexWriter(d, config(ramBufferMb).setOpenMode(IndexWriterConfig.OpenMode.CREATE));
        }
        this.directory = d;
        this.writer = w;
        this.searchers = new SearcherManager(w, null);
    }

    private static IndexWriterConfig config(int ramBufferMb) {
        return new IndexWriterConfig().setRAMBufferSizeMB(ramBufferMb).setCommitOnClose(true)
                .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND);
    }

    private static void deleteTree(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(x);
            }
        }
    }

    /** The index's directory. */
    public Path path() {
        return path;
    }

    /** Loads what the index holds of a mailbox, dropping documents of other UIDVALIDITYs of the same name. */
    void load(IndexedMailbox m) throws IOException {
        BooleanQuery.Builder stale = new BooleanQuery.Builder()
                .add(new TermQuery(new Term("box", m.box)), BooleanClause.Occur.FILTER)
                .add(new TermQuery(new Term("key", m.key)), BooleanClause.Occur.MUST_NOT);
        writer.deleteDocuments(stale.build());
        searchers.maybeRefreshBlocking();
        m.uids = uids(new TermQuery(new Term("key", m.key)), null);
        m.loaded = true;
    }

    /**
     * Brings a mailbox's documents in line with the mailbox: indexes the messages it does not have, deletes those
     * the mailbox no longer has. The caller holds the mailbox's lock.
     */
    void catchUp(IndexedMailbox m, Mailbox mailbox) throws IOException {
        if (!m.loaded) {
            load(m);
        }
        // taken before the view: if it is unchanged at the next catch-up, nothing was added (UIDNEXT would have
        // grown) or expunged (fewer messages) since, so that view is still the mailbox and there is nothing to do
        MailboxStatus before = mailbox.status();
        if (before.uidNext() == m.seenUidNext && before.messages() == m.seenMessages) {
            return;
        }
        long[] current;
        try (MailboxView view = mailbox.openView(ViewMode.READ_ONLY)) {
            int n = view.messageCount();
            current = n == 0 ? new long[0] : view.uids(1, n).stream().toArray();
        }
        long[] added = IndexedMailbox.minus(current, m.uids);
        long[] removed = IndexedMailbox.minus(m.uids, current);
        if (added.length == 0 && removed.length == 0) {
            m.seen(before);
            return;
        }
        for (long uid : removed) {
            writer.deleteDocuments(new Term("id", m.key + "/" + uid));
        }
        boolean[] failed = new boolean[1];
        long[] skipped = index(m, mailbox, added, failed);
        if (failed[0]) {
            m.exact = false;
        }
        long[] now = skipped.length == 0 ? current : IndexedMailbox.minus(current, skipped);
        m.uids = now;
        if (skipped.length == 0 && !failed[0]) {
            m.seen(before);
        }
        if (added.length > 10_000) {
            writer.commit();
        }
        searchers.maybeRefreshBlocking();
    }

    /** Indexes messages (in parallel for big batches); returns the UIDs that were gone meanwhile. */
    private long[] index(IndexedMailbox m, Mailbox mailbox, long[] uids, boolean[] failed) throws IOException {
        if (uids.length < 256 || threads < 2) {
            return indexRange(m, mailbox, uids, 0, uids.length, failed);
        }
        List<Future<long[]>> parts = new ArrayList<>();
        int chunk = (uids.length + threads - 1) / threads;
        for (int t = 0; t < threads; t++) {
            int from = t * chunk;
            int to = Math.min(uids.length, from + chunk);
            if (from < to) {
                parts.add(pool.submit(() -> indexRange(m, mailbox, uids, from, to, failed)));
            }
        }
        long[] gone = new long[0];
        for (Future<long[]> f : parts) {
            try {
                long[] g = f.get();
                int n = gone.length;
                gone = Arrays.copyOf(gone, n + g.length);
                System.arraycopy(g, 0, gone, n, g.length);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while indexing", e);
            } catch (java.util.concurrent.ExecutionException e) {
                throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
            }
        }
        Arrays.sort(gone);
        return gone;
    }

    private long[] indexRange(IndexedMailbox m, Mailbox mailbox, long[] uids, int from, int to, boolean[] failed)
            throws IOException {
        long[] gone = new long[0];
        for (int i = from; i < to; i++) {
            long uid = uids[i];
            MessageTexts.Texts texts;
            try {
                java.util.Optional<MessageStructure> s = mailbox.structure(uid);
                java.util.Optional<MessageSource> c = s.isEmpty() ? java.util.Optional.empty() : mailbox.content(uid);
                if (c.isEmpty()) {
                    gone = Arrays.copyOf(gone, gone.length + 1);
                    gone[gone.length - 1] = uid;
                    continue;
                }
                try (MessageSource content = c.get()) {
                    texts = MessageTexts.of(content, s.get());
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("message {} of {} cannot be indexed ({}); its mailbox is searched by reading", uid,
                        m.box.replace('\n', '/'), e.toString());
                failed[0] = true;
                continue;
            }
            Document d = new Document();
            d.add(new StringField("box", m.box, Field.Store.NO));
            d.add(new StringField("key", m.key, Field.Store.NO));
            d.add(new StringField("id", m.key + "/" + uid, Field.Store.NO));
            d.add(new NumericDocValuesField("uid", uid));
            d.add(new Field("h", new TrigramTokenStream(texts.header()), TRIGRAMS));
            d.add(new Field("b", new TrigramTokenStream(texts.body()), TRIGRAMS));
            writer.updateDocument(new Term("id", m.key + "/" + uid), d);
        }
        return gone;
    }

    /** The query for a needle in a field, or null if the needle cannot be looked up (it contains the pad). */
    static Query needle(String field, char[] needle) {
        for (char c : needle) {
            if (c == Trigrams.PAD) {
                return null;
            }
        }
        if (needle.length < 3) {
            return new PrefixQuery(new Term(field, Trigrams.prefix(needle, needle.length)));
        }
        // every third trigram, and the last: together they cover each character of the needle at its offset, so
        // they occur at those relative positions exactly where the needle occurs, with a third of the postings read
        PhraseQuery.Builder p = new PhraseQuery.Builder();
        int last = needle.length - 3;
        for (int i = 0; i < last; i += 3) {
            p.add(new Term(field, Trigrams.trigram(needle, i)), i);
        }
        p.add(new Term(field, Trigrams.trigram(needle, last)), last);
        return p.build();
    }

    /** The UIDs of a mailbox's messages that contain the text (null if it cannot be looked up). */
    UidSet search(IndexedMailbox m, String text, boolean bodyOnly) throws IOException {
        char[] folded = Trigrams.fold(text);
        if (folded.length == 0) {
            return of(m.uids);
        }
        Query body = needle("b", folded);
        if (body == null) {
            return null;
        }
        Query q = body;
        if (!bodyOnly) {
            q = new BooleanQuery.Builder().add(needle("h", folded), BooleanClause.Occur.SHOULD)
                    .add(body, BooleanClause.Occur.SHOULD).setMinimumNumberShouldMatch(1).build();
        }
        return of(uids(q, m.key));
    }

    private static UidSet of(long[] sorted) {
        UidSet.Builder b = UidSet.builder();
        for (long u : sorted) {
            b.add(u);
        }
        return b.build();
    }

    /** The UIDs of the documents a query matches (within a mailbox key, if given), sorted. */
    private long[] uids(Query q, String key) throws IOException {
        Query query = key == null ? q : new BooleanQuery.Builder()
                .add(new TermQuery(new Term("key", key)), BooleanClause.Occur.FILTER)
                .add(q, BooleanClause.Occur.FILTER).build();
        IndexSearcher s = searchers.acquire();
        try {
            UidCollector c = new UidCollector();
            s.search(query instanceof MatchAllDocsQuery ? query : query, c);
            long[] out = Arrays.copyOf(c.uids, c.n);
            Arrays.sort(out);
            return out;
        } finally {
            searchers.release(s);
        }
    }

    /** Collects the UID doc values of the matches. */
    private static final class UidCollector extends SimpleCollector {
        long[] uids = new long[1024];
        int n;
        private NumericDocValues values;

        @Override
        protected void doSetNextReader(LeafReaderContext context) throws IOException {
            values = context.reader().getNumericDocValues("uid");
        }

        @Override
        public void collect(int doc) throws IOException {
            if (values != null && values.advanceExact(doc)) {
                if (n == uids.length) {
                    uids = Arrays.copyOf(uids, n * 2);
                }
                uids[n++] = values.longValue();
            }
        }

        @Override
        public ScoreMode scoreMode() {
            return ScoreMode.COMPLETE_NO_SCORES;
        }
    }

    /** Makes what was indexed durable. */
    public void commit() throws IOException {
        writer.commit();
    }

    @Override
    public void close() {
        try {
            searchers.close();
            writer.close();
            directory.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
