package dev.mailkit.smtp;

import dev.mailkit.core.Envelope;
import dev.mailkit.core.MessageSource;

import java.io.IOException;

/**
 * The simplest way for an application to receive mail: called once per accepted transaction with the whole envelope
 * and the message. When it returns normally the client is told {@code 250}; so it must have stored the message
 * durably (or be content to lose it) before returning. If it throws, the client is told {@code 451 4.3.0} and will
 * retry. Called from many sessions at once: must be thread-safe.
 */
@FunctionalInterface
public interface MessageListener {
    /**
     * Handles one message.
     *
     * @param envelope the SMTP envelope (every recipient, BCC included)
     * @param message  the message with mailkit's {@code Received:} header; valid only during the call unless
     *                 {@link MessageSource#retain() retained}
     */
    void onMessage(Envelope envelope, MessageSource message) throws IOException;
}
