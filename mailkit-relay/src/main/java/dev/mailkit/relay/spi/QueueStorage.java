package dev.mailkit.relay.spi;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Where a relay queue keeps its messages: the content, the envelope and each recipient's result. The relay's engine
 * (scheduling, delivery, DSNs) works on top of it; {@code RelayQueue.builder(Path)} uses the built-in disk storage and
 * {@code RelayQueue.builder(QueueStorage)} any other, such as {@code PostgresQueueStorage} from mailkit-postgres.
 *
 * <p>The rules an implementation keeps (the relay's promises rest on them, and {@code QueueStorageContract} in the
 * relay's tests checks them):
 * <ul>
 *   <li>{@link #write} streams the content to durable storage (never whole in the heap) but the message is not yet
 *       queued; {@link #commit} queues it durably before it returns: only then does the client hear "250";
 *       {@link #abort} forgets a written message, and a crash between the two forgets it too.</li>
 *   <li>{@link #record} keeps each recipient's result as it happens: a change that is
 *       {@link StateChange#durable()} (a delivery, a bounce, a hold or release) is durable when the call returns, so
 *       a recipient recorded as delivered is never sent again; {@link StateChange.Kind#ATTEMPTED} may be written
 *       lazily.</li>
 *   <li>{@link #recover} hands the engine, once at start, every message it is to deliver with the changes recorded
 *       for it; a storage shared by several nodes also hands over, through {@link #claim}, messages whose node went
 *       away (its lease ran out).</li>
 *   <li>{@link #remove} forgets a finished or deleted message.</li>
 * </ul>
 * The engine serialises the calls for one message; different messages are written from many threads at once, so an
 * implementation is thread-safe.
 */
public interface QueueStorage extends AutoCloseable {

    /** Writes the content of a message to a stream (CRLF line ends already). */
    @FunctionalInterface
    interface ContentWriter {
        /** Writes the whole content. */
        void writeTo(OutputStream out) throws IOException;
    }

    /** A message written by {@link #write}, waiting for {@link #commit} or {@link #abort}. Used by one thread. */
    interface Prepared {
        /** The queue id. */
        String id();

        /** The content's length in octets. */
        long contentLength();
    }

    /** A message handed to the engine by {@link #recover} or {@link #claim}, with the changes recorded so far. */
    final class Recovered {
        private final QueuedMessage message;
        private final long contentLength;
        private final List<StateChange> changes;
        private final String holder;

        /**
         * @param changes what was recorded for it, oldest first
         */
        public Recovered(QueuedMessage message, long contentLength, List<StateChange> changes) {
            this(message, contentLength, changes, null);
        }

        /**
         * @param changes what was recorded for it, oldest first
         * @param holder  the other node that holds it (in {@link #wholeQueue()}), or null for this node
         */
        public Recovered(QueuedMessage message, long contentLength, List<StateChange> changes, String holder) {
            this.message = message;
            this.contentLength = contentLength;
            this.changes = List.copyOf(changes);
            this.holder = holder;
        }

        /** The other node that holds the message, if another node does ({@link #wholeQueue()} only). */
        public Optional<String> holder() {
            return Optional.ofNullable(holder);
        }

        /** The envelope. */
        public QueuedMessage message() {
            return message;
        }

        /** The content's length in octets. */
        public long contentLength() {
            return contentLength;
        }

        /** The changes recorded so far, oldest first. */
        public List<StateChange> changes() {
            return changes;
        }
    }

    /**
     * Writes a message durably, not yet queued.
     *
     * @param sizeHint the expected content length (a hint for buffer sizes)
     * @throws java.nio.file.FileAlreadyExistsException if the id is taken (the engine tries another)
     * @throws IOException                              if it cannot be written
     */
    Prepared write(QueuedMessage message, ContentWriter content, long sizeHint) throws IOException;

    /** Queues a written message; durable when this returns. */
    void commit(Prepared prepared) throws IOException;

    /** Forgets a written message that will not be committed. Never throws. */
    void abort(Prepared prepared);

    /** A stream over a queued message's content; the caller closes it. */
    InputStream content(String id) throws IOException;

    /** Records changes of a queued message, oldest first ({@link StateChange#durable() durable} ones durably). */
    void record(String id, List<StateChange> changes) throws IOException;

    /**
     * Forgets a queued message.
     *
     * @param waitDurable whether to return only once the removal is durable (for a deletion asked for by a person; a
     *                    finished message need not wait: recovering it again finds every recipient done)
     */
    void remove(String id, boolean waitDurable) throws IOException;

    /** Every message this node is to deliver, at start. Called once, before anything else but {@link #close}. */
    List<Recovered> recover() throws IOException;

    /**
     * Messages that became this node's to deliver since the last call (for a storage shared by several nodes: those
     * whose node stopped renewing its lease). Default: none.
     */
    default List<Recovered> claim() throws IOException {
        return List.of();
    }

    /**
     * For a storage shared by several nodes: every queued message of every node, with its recorded changes and, if
     * another node holds it, that node ({@link Recovered#holder()}), so that the queue can be listed whole from any
     * node. Empty (the default) for a storage of one node, whose queue is the engine's.
     */
    default Optional<List<Recovered>> wholeQueue() throws IOException {
        return Optional.empty();
    }

    /**
     * For a storage shared by several nodes: takes over a message that another node holds, for an action asked of
     * this node (hold, release, delete, retry); from then on this node holds it and the other node is fenced off it
     * (see {@link LeaseLostException}). Empty if no other node holds a message with that id. Default: empty.
     */
    default Optional<Recovered> takeOver(String id) throws IOException {
        return Optional.empty();
    }

    /** How often the engine calls {@link #claim}; zero (the default) for never. */
    default Duration claimInterval() {
        return Duration.ZERO;
    }

    /** A short description for logs, such as the directory or the database. */
    String describe();

    /** Releases what the storage holds (files, locks, leases are left to run out). Idempotent. */
    @Override
    void close();
}
