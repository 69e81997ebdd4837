package dev.mailkit.store.memory;

import dev.mailkit.core.MessageSource;
import dev.mailkit.store.MailStoreException;
import dev.mailkit.store.internal.MailboxStorage;

import java.time.Clock;

/**
 * Where the in-memory store keeps messages: each one a byte array, shared by every mailbox it is copied into,
 * with its structure cached beside it, and the save date of each copy (RFC 8514: a copy is saved anew). Holds
 * nothing itself (the engine's reference to a message is the message), so one instance serves every mailbox of a
 * store. Records no changes: there is nothing to recover. Immutable.
 */
final class MemoryMessages extends MailboxStorage {
    private final Clock clock;

    /** Storage whose save dates come from the clock. */
    MemoryMessages(Clock clock) {
        this.clock = clock;
    }

    /** One message in one mailbox: bytes and structure shared by its copies, and its own save date. */
    private static final class Message {
        final Content content;
        final long saved;

        Message(Content content, long saved) {
            this.content = content;
            this.saved = saved;
        }
    }

    /** Immutable bytes and the lazily parsed structure. */
    private static final class Content {
        final byte[] data;
        volatile byte[] structure;

        Content(byte[] data) {
            this.data = data;
        }
    }

    @Override
    protected Object storeContent(MessageSource message) {
        if (message.size() > Integer.MAX_VALUE - 16) {
            throw new MailStoreException(MailStoreException.Reason.LIMIT, "a message of " + message.size()
                    + " octets is too large for the in-memory store (at most 2 GiB)");
        }
        return new Message(new Content(message.toByteArray()), clock.instant().getEpochSecond());
    }

    @Override
    protected Object importContent(MailboxStorage source, Object sourceRef) {
        return sourceRef instanceof Message m ? new Message(m.content, clock.instant().getEpochSecond()) : null;
    }

    @Override
    protected MessageSource openContent(Object ref) {
        return MessageSource.of(((Message) ref).content.data);
    }

    @Override
    protected boolean keepsSaveDates() {
        return true;
    }

    @Override
    protected long saveDate(long uid, Object ref) {
        return ((Message) ref).saved;
    }

    @Override
    protected void discardContent(Object ref) {
        // garbage-collected
    }

    @Override
    protected byte[] cachedStructure(Object ref) {
        return ((Message) ref).content.structure;
    }

    @Override
    protected void cacheStructure(Object ref, byte[] structure) {
        ((Message) ref).content.structure = structure;
    }
}
