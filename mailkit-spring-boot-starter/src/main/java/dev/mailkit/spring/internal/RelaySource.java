package dev.mailkit.spring.internal;

import dev.mailkit.core.outbound.OutboundQueue;

/**
 * The relay queue as the servers see it, in core's types only, so that nothing but {@code RelayConfiguration} loads
 * mailkit-relay's classes (an optional dependency).
 */
public interface RelaySource {
    /** Builds and starts a queue (a new one at each start of the servers). */
    Running start();

    /** A started queue. */
    interface Running extends AutoCloseable {
        /** The queue, for the SMTP server. */
        OutboundQueue queue();

        /** How many messages wait in it. */
        int size();

        @Override
        void close();
    }
}
