package dev.mailkit.scan;

import dev.mailkit.core.Envelope;
import dev.mailkit.core.MessageSource;
import dev.mailkit.core.sink.DeliveryReport;
import dev.mailkit.core.sink.MessageSink;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Where the {@link ScanFilter} holds messages instead of delivering them: those a milter or Rspamd asks to
 * quarantine, and, if configured, those it would otherwise refuse as spam or viruses. The SMTP client hears
 * {@code 250} only after {@link #hold} returned, so a held message must be durable when it returns. An administrator
 * (or an application's API) lists, releases or deletes held messages. {@link FileQuarantine} keeps them in a
 * directory. Implementations must be thread-safe.
 */
public interface Quarantine {
    /**
     * Holds a message durably.
     *
     * @param envelope the envelope (its recipients get the message if it is released)
     * @param message  the message, with the filter's header fields saying why it was held; valid during the call
     * @param reason   why it is held (printable text)
     * @return the id of the held message
     * @throws IOException if it could not be stored (the client is then told to try again later)
     */
    String hold(Envelope envelope, MessageSource message, String reason) throws IOException;

    /** The held messages, oldest first. */
    List<QuarantinedMessage> list() throws IOException;

    /** A held message's content (the caller closes it), or empty if there is no such message. */
    Optional<MessageSource> content(String id) throws IOException;

    /**
     * Delivers a held message to its envelope's recipients through {@code sink} (e.g. the delivery agent), and
     * removes it from the quarantine if every recipient got it.
     *
     * @return the sink's report
     * @throws IllegalArgumentException if there is no such message
     */
    DeliveryReport release(String id, MessageSink sink) throws IOException;

    /**
     * Deletes a held message.
     *
     * @return whether there was one
     */
    boolean delete(String id) throws IOException;
}
