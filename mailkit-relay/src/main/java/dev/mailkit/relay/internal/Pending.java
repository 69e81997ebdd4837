package dev.mailkit.relay.internal;

import dev.mailkit.relay.spi.QueueStorage;

/**
 * A message written under its temporary name, waiting for {@link RelayEngine#commit} or {@link RelayEngine#abort}.
 * Used by one thread.
 */
public final class Pending {
    final QueueStorage.Prepared prepared;
    final StoredMessage message;
    boolean done;

    Pending(QueueStorage.Prepared prepared, StoredMessage message) {
        this.prepared = prepared;
        this.message = message;
    }

    /** The queue id the message will have. */
    public String id() {
        return prepared.id();
    }
}
