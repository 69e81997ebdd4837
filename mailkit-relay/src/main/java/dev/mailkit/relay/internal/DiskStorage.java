package dev.mailkit.relay.internal;

import dev.mailkit.relay.spi.QueueStorage;
import dev.mailkit.relay.spi.QueuedMessage;
import dev.mailkit.relay.spi.StateChange;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The built-in {@link QueueStorage}: a queue directory ({@link QueueStore}: the shared segment log for small messages,
 * a file each for big ones or ones with state records, {@link StateRecords} appended as changes happen). It keeps
 * where each queued message's content is; the engine's calls for one message are serialised, and this takes the
 * message's own lock for the moves between log and file. Thread-safe.
 */
public final class DiskStorage implements QueueStorage {
    private final QueueStore store;
    private final Map<String, StoredMessage> queued = new ConcurrentHashMap<>();

    /**
     * Opens (creating if needed) and locks a queue directory.
     *
     * @throws IOException           if it cannot be used
     * @throws IllegalStateException if another queue holds it
     */
    public DiskStorage(Path directory) throws IOException {
        this.store = new QueueStore(directory);
    }

    /** The queue directory. */
    public Path directory() {
        return store.directory();
    }

    /** The store underneath (for tests). */
    QueueStore store() {
        return store;
    }

    private static final class Written implements Prepared {
        final QueueStore.Prepared prepared;

        Written(QueueStore.Prepared prepared) {
            this.prepared = prepared;
        }

        @Override
        public String id() {
            return prepared.meta.id;
        }

        @Override
        public long contentLength() {
            return prepared.contentLength;
        }
    }

    static QueueFile.Meta meta(QueuedMessage m) {
        return new QueueFile.Meta(m.id(), m.created(), m.reversePath(), m.mailParameters(), m.recipients(),
                m.recipientParameters(), m.origin(), m.notification());
    }

    static QueuedMessage message(QueueFile.Meta m) {
        return new QueuedMessage(m.id, m.created, m.reversePath, m.mailParameters, m.recipients,
                m.recipientParameters, m.origin, m.notification);
    }

    private static QueuedMessage message(StoredMessage m) {
        return new QueuedMessage(m.id, m.created, m.reversePath, m.mailParameters, m.recipients,
                m.recipientParameters, m.origin, m.notification);
    }

    @Override
    public Prepared write(QueuedMessage message, ContentWriter content, long sizeHint) throws IOException {
        if (queued.containsKey(message.id())) {
            throw new FileAlreadyExistsException(message.id(), null, "a queued message has this id");
        }
        return new Written(store.write(meta(message), content::writeTo, sizeHint, false));
    }

    @Override
    public void commit(Prepared prepared) throws IOException {
        StoredMessage m = store.commit(((Written) prepared).prepared);
        queued.put(m.id, m);
    }

    @Override
    public void abort(Prepared prepared) {
        store.abort(((Written) prepared).prepared);
    }

    private StoredMessage get(String id) throws NoSuchFileException {
        StoredMessage m = queued.get(id);
        if (m == null) {
            throw new NoSuchFileException(id, null, "the message is not in the queue " + store.directory());
        }
        return m;
    }

    @Override
    public InputStream content(String id) throws IOException {
        return store.content(get(id));
    }

    @Override
    public void record(String id, List<StateChange> changes) throws IOException {
        if (changes.isEmpty()) {
            return;
        }
        StoredMessage m = get(id);
        m.lock.lock();
        try {
            store.append(m, StateRecords.encode(changes), StateRecords.needSync(changes));
        } finally {
            m.lock.unlock();
        }
    }

    @Override
    public void remove(String id, boolean waitDurable) throws IOException {
        StoredMessage m = queued.remove(id);
        if (m != null) {
            m.lock.lock();
            try {
                store.remove(m, waitDurable);
            } finally {
                m.lock.unlock();
            }
        }
    }

    @Override
    public List<Recovered> recover() throws IOException {
        List<Recovered> out = new ArrayList<>();
        for (QueueStore.Recovered r : store.recover()) {
            StoredMessage m = r.message;
            queued.put(m.id, m);
            out.add(new Recovered(message(m), m.contentLength,
                    StateRecords.decode(m.id, r.records)));
        }
        return out;
    }

    @Override
    public String describe() {
        return store.directory().toString();
    }

    @Override
    public void close() {
        store.close();
    }
}
