package dev.mailkit.postgres.internal;

import dev.mailkit.relay.spi.LeaseLostException;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The fencing tokens of the relay queue's leases ({@code V9__queue_lease_epoch.sql}): for each message this node
 * holds, the {@code lease_epoch} under which it holds it (0 for a message it wrote, the epoch its claim set for one it
 * claimed). A write or a delivery read for a message checks the row's owner and epoch against these; a mismatch means
 * that another node claimed the message after this node's lease ran out. Thread-safe.
 */
final class QueueLeases {
    private final Map<String, Long> epochs = new ConcurrentHashMap<>();
    private final String node;

    QueueLeases(String node) {
        this.node = node;
    }

    /** This node holds {@code id} under {@code epoch}. */
    void hold(String id, long epoch) {
        epochs.put(id, epoch);
    }

    /** This node no longer holds {@code id}. */
    void forget(String id) {
        epochs.remove(id);
    }

    /** The epoch under which this node holds {@code id}, or -1 if it does not hold it. */
    long epoch(String id) {
        Long e = epochs.get(id);
        return e == null ? -1 : e;
    }

    /**
     * Throws unless the row read for {@code id} ({@code owner}, {@code epoch}; a null owner for a row that is gone)
     * is still this node's under the epoch it holds it with. A message this node does not hold is not checked. The
     * node goes on holding it here (its later writes are refused too) until {@link #forget}.
     */
    void check(String id, String owner, long epoch, String what) throws LeaseLostException {
        long mine = epoch(id);
        if (mine < 0 || owner == null || (node.equals(owner) && epoch == mine)) {
            return;
        }
        throw new LeaseLostException("node " + node + " cannot " + what + " queued message " + id + ": its lease ran "
                + "out and another node claimed the message (owner " + owner + ", lease epoch " + epoch
                + "; this node's epoch " + mine + ")");
    }
}
