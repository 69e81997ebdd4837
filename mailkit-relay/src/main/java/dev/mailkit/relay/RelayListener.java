package dev.mailkit.relay;

/**
 * Receives the relay's {@link RelayEvent events}: every message queued, every delivery attempt with the remote host
 * and its exact reply, every bounce, hold, release and deletion. Called on the relay's own threads, synchronously:
 * implementations must be thread-safe and quick (hand slow work to another thread). An exception thrown by a
 * listener is logged and otherwise ignored.
 */
@FunctionalInterface
public interface RelayListener {
    /** Called once per event. */
    void onEvent(RelayEvent event);
}
