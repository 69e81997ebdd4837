package dev.mailkit.web;

import java.util.List;
import java.util.Optional;

/**
 * The SPI through which the web inbox learns where messages went: by transaction id (the id in mailkit's
 * {@code Received:} field of each stored message), and the latest transactions. {@link TraceRecorder} is the
 * built-in implementation, fed by the SMTP server (as a filter and around its sink) and the relay queue (its event
 * listener); an application with its own records (a log index, a database) can implement this instead.
 *
 * <p>Implementations must be thread-safe.
 */
public interface DeliveryTrace {
    /** The trace of one transaction, if known. */
    Optional<MessageTrace> find(String transactionId);

    /** The most recent transactions, newest first, at most {@code max}. */
    List<MessageTrace> recent(int max);
}
