package dev.mailkit.store.internal;

import dev.mailkit.core.MessageSource;
import dev.mailkit.store.MailStoreException;
import dev.mailkit.store.mime.MessageEnvelope;
import dev.mailkit.store.mime.MessageStructure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads one mailbox's messages: their content through the store's {@link MailboxStorage}, and their MIME structure,
 * parsed once and then kept in the storage's structure cache (the envelope alone is decoded from the cached form,
 * without the part tree). The engine's lock is held only to find a message, never while reading; a message expunged
 * while it is being read reads as absent. Thread-safe.
 */
final class MessageReader {
    private static final Logger LOG = LoggerFactory.getLogger(MessageReader.class);

    private final MailboxEngine engine;
    private final MailboxStorage storage;

    MessageReader(MailboxEngine engine, MailboxStorage storage) {
        this.engine = engine;
        this.storage = storage;
    }

    /** A message's content. */
    Optional<MessageSource> content(long uid) {
        Object ref = engine.refOf(uid);
        if (ref == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(storage.openContent(ref));
        } catch (IOException | UncheckedIOException e) {
            if (engine.refOf(uid) == null) {
                return Optional.empty(); // expunged meanwhile
            }
            throw new MailStoreException(MailStoreException.Reason.IO_ERROR,
                    "cannot read message " + uid + " of " + engine.name() + ": " + e.getMessage(), e);
        }
    }

    /** A message's structure, parsed once and then cached. */
    Optional<MessageStructure> structure(long uid) {
        return fromStructure(uid, MessageStructure::fromBytes, Function.identity());
    }

    /**
     * A message's envelope: decoded alone from the cached structure (the part tree is left encoded), or parsed and
     * cached with the structure.
     */
    Optional<MessageEnvelope> envelope(long uid) {
        return fromStructure(uid, MessageStructure::envelopeFromBytes, MessageStructure::envelope);
    }

    /** Decodes what is wanted from the cached structure, or from the structure parsed (and cached) now. */
    private <T> Optional<T> fromStructure(long uid, Function<byte[], T> decodeCached,
                                          Function<MessageStructure, T> ofParsed) {
        Object ref = engine.refOf(uid);
        if (ref == null) {
            return Optional.empty();
        }
        byte[] cached = storage.cachedStructure(ref);
        if (cached != null && MessageStructure.isCurrentFormat(cached)) {
            try {
                return Optional.of(decodeCached.apply(cached));
            } catch (IllegalArgumentException e) {
                LOG.warn("cached structure of message {} in {} is corrupt; parsing the message again", uid,
                        engine.name());
            }
        }
        MessageStructure s;
        try (MessageSource src = storage.openContent(ref)) {
            s = MessageStructure.parse(src);
        } catch (IOException | UncheckedIOException e) {
            if (engine.refOf(uid) == null) {
                return Optional.empty();
            }
            throw new MailStoreException(MailStoreException.Reason.IO_ERROR,
                    "cannot read message " + uid + " of " + engine.name() + " to parse it: " + e.getMessage(), e);
        }
        storage.cacheStructure(ref, s.toBytes());
        return Optional.of(ofParsed.apply(s));
    }
}
