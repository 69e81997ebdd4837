package dev.mailkit.store.memory;

import dev.mailkit.core.MessageSource;
import dev.mailkit.store.MailStoreException;
import dev.mailkit.store.internal.MailboxStorage;

/**
 * Where the in-memory store keeps messages: each one a byte array, shared by every mailbox it is copied into,
 * with its structure cached beside it. Holds nothing itself (the engine's reference to a message is the message),
 * so one instance serves every mailbox. Records no changes: there is nothing to recover. Immutable.
 */
final class MemoryMessages extends MailboxStorage {
    /** The one instance. */
    static final MemoryMessages STORAGE = new MemoryMessages();

    private MemoryMessages() {
    }

    /** One message: immutable bytes and the lazily parsed structure. */
    private static final class Message {
        final byte[] data;
        volatile byte[] structure;

        Message(byte[] data) {
            this.data = data;
        }
    }

    @Override
    protected Object storeContent(MessageSource message) {
        if (message.size() > Integer.MAX_VALUE - 16) {
            throw new MailStoreException(MailStoreException.Reason.LIMIT, "a message of " + message.size()
                    + " octets is too large for the in-memory store (at most 2 GiB)");
        }
        return new Message(message.toByteArray());
    }

    @Override
    protected Object importContent(MailboxStorage source, Object sourceRef) {
        return sourceRef instanceof Message ? sourceRef : null;
    }

    @Override
    protected MessageSource openContent(Object ref) {
        return MessageSource.of(((Message) ref).data);
    }

    @Override
    protected void discardContent(Object ref) {
        // garbage-collected
    }

    @Override
    protected byte[] cachedStructure(Object ref) {
        return ((Message) ref).structure;
    }

    @Override
    protected void cacheStructure(Object ref, byte[] structure) {
        ((Message) ref).structure = structure;
    }
}
