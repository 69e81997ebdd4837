package dev.mailkit.relay.spi;

import java.io.IOException;

/**
 * Thrown by a {@link QueueStorage} shared by several nodes when this node no longer holds a message: its lease ran
 * out (the node was paused or cut off from the storage for longer than the lease) and another node has claimed the
 * message since. The storage refuses the write or the read that would have let this node record a result for the
 * message or deliver it again; the relay's engine then forgets the message (without removing it from the storage:
 * it is the other node's now). Immutable.
 */
public class LeaseLostException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what was refused and who holds the message now
     */
    public LeaseLostException(String message) {
        super(message);
    }
}
