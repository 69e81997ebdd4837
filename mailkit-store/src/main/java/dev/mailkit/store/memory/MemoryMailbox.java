package dev.mailkit.store.memory;

import dev.mailkit.core.MessageSource;
import dev.mailkit.store.MailStoreException;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.SpecialUse;
import dev.mailkit.store.internal.MailboxEngine;
import dev.mailkit.store.internal.QuotaCounter;

import java.time.Clock;
import java.util.Set;

/** A mailbox whose messages are byte arrays. Copies between in-memory mailboxes share the array. */
final class MemoryMailbox extends MailboxEngine {
    MemoryMailbox(MailboxName name, Set<SpecialUse> specialUse, long uidValidity, int maxKeywords,
                  QuotaCounter quota, Clock clock) {
        super(name, specialUse, uidValidity, maxKeywords, quota, clock);
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
    protected Object importContent(MailboxEngine source, Object sourceRef) {
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
