package dev.mailkit.core.server;

import java.net.InetSocketAddress;

/**
 * The lifecycle every mailkit server shares: {@link #start()} binds synchronously (port 0 picks a free port) and
 * returns once the server accepts connections; {@link #close()} stops it, is idempotent, and returns within about a
 * second even when clients hang. A server cannot be started again after it was closed.
 */
public interface MailServer extends AutoCloseable {
    /**
     * Binds and starts accepting connections.
     *
     * @return this server, for chaining
     * @throws java.io.UncheckedIOException if the port cannot be bound; the message names the address
     * @throws IllegalStateException        if the server was already started or closed
     */
    MailServer start();

    /** The bound port (of the first listener, for servers with several). Valid after {@link #start()}. */
    int port();

    /** The bound address and port. Valid after {@link #start()}. */
    InetSocketAddress localAddress();

    /** Whether the server has been started and not yet closed. */
    boolean isRunning();

    /** Stops accepting, closes every connection and releases all threads. Idempotent; never throws. */
    @Override
    void close();
}
