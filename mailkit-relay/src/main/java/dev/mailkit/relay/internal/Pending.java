package dev.mailkit.relay.internal;

/**
 * A message written under its temporary name, waiting for {@link RelayEngine#commit} or {@link RelayEngine#abort}.
 * Used by one thread.
 */
public final class Pending {
    final QueueStore.Prepared prepared;
    boolean done;

    Pending(QueueStore.Prepared prepared) {
        this.prepared = prepared;
    }

    /** The queue id the message will have. */
    public String id() {
        return prepared.meta.id;
    }
}
