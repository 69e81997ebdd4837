package dev.mailkit.imap.internal.store;

import dev.mailkit.core.MessageSource;
import dev.mailkit.imap.internal.message.EnvelopeFields;
import dev.mailkit.imap.internal.message.MessageData;
import dev.mailkit.imap.internal.message.MessageFlags;
import dev.mailkit.imap.internal.message.MimePart;
import dev.mailkit.imap.internal.message.ThreadIds;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MessageInfo;
import dev.mailkit.store.mime.MessageEnvelope;
import dev.mailkit.store.mime.MessageStructure;
import dev.mailkit.store.mime.PartContent;

import java.io.IOException;
import java.time.Instant;

/**
 * One stored message as FETCH and SEARCH see it: index data from the store's {@link MessageInfo}, and the cached
 * structure and the content fetched from the mailbox only when asked for (once per FETCH of the message).
 */
public final class StoreMessage implements MessageData {
    private final Mailbox mailbox;
    private final MessageInfo info;
    private final boolean recent;
    private MessageStructure structure;
    private MessageEnvelope envelope;
    private MessageSource prepared;

    public StoreMessage(Mailbox mailbox, MessageInfo info, boolean recent) {
        this.mailbox = mailbox;
        this.info = info;
        this.recent = recent;
    }

    /** The store's data. */
    public MessageInfo info() {
        return info;
    }

    @Override
    public long uid() {
        return info.uid();
    }

    @Override
    public MessageFlags flags() {
        return StoreFlags.toImap(info.flags(), recent);
    }

    @Override
    public Instant internalDate() {
        return info.internalDate();
    }

    @Override
    public long size() {
        return info.size();
    }

    @Override
    public long modseq() {
        return info.modSeq();
    }

    private MessageStructure structure0() throws IOException {
        if (structure == null) {
            structure = mailbox.structure(info.uid()).orElseThrow(() -> new ExpungedException(info.uid()));
        }
        return structure;
    }

    private MessageEnvelope envelope0() throws IOException {
        if (structure != null) {
            return structure.envelope();
        }
        if (envelope == null) {
            envelope = mailbox.envelope(info.uid()).orElseThrow(() -> new ExpungedException(info.uid()));
        }
        return envelope;
    }

    @Override
    public EnvelopeFields envelope() throws IOException {
        return StoreParts.envelope(envelope0());
    }

    @Override
    public MimePart structure() throws IOException {
        return StoreParts.root(structure0());
    }

    @Override
    public boolean keepsSaveDates() {
        return mailbox.keepsSaveDates();
    }

    @Override
    public Instant saveDate() {
        return mailbox.saveDate(info.uid()).orElse(null);
    }

    @Override
    public String emailId() throws IOException {
        return structure0().emailId();
    }

    /** From the message's own References, In-Reply-To and Message-ID (see {@link ThreadIds}). */
    @Override
    public String threadId() throws IOException {
        MessageStructure s = structure0();
        String references = null;
        String inReplyTo = null;
        String messageId = null;
        try (MessageSource c = mailbox.content(info.uid()).orElseThrow(() -> new ExpungedException(info.uid()))) {
            for (PartContent.HeaderField f : PartContent.headerFields(c, 0, s.body().bodyOffset())) {
                String name = f.name().toLowerCase(java.util.Locale.ROOT);
                if (references == null && name.equals("references")) {
                    references = f.value();
                } else if (inReplyTo == null && name.equals("in-reply-to")) {
                    inReplyTo = f.value();
                } else if (messageId == null && name.equals("message-id")) {
                    messageId = f.value();
                }
            }
        }
        return ThreadIds.of(references, inReplyTo, messageId, s.emailId());
    }

    @Override
    public MessageSource content() throws IOException {
        MessageSource p = prepared;
        if (p != null) {
            prepared = null;
            return p;
        }
        return mailbox.content(info.uid()).orElseThrow(() -> new ExpungedException(info.uid()));
    }

    /**
     * Loads what a response will need before any of it is written, so that a message expunged meanwhile is noticed
     * before its response starts. The content opened here is handed out by the next {@link #content()} call.
     */
    public void prepare(boolean envelope, boolean structure, boolean content) throws IOException {
        if (structure) {
            structure0();
        } else if (envelope) {
            envelope0(); // the envelope alone is decoded without the part tree
        }
        if (content && prepared == null) {
            prepared = mailbox.content(info.uid()).orElseThrow(() -> new ExpungedException(info.uid()));
        }
    }

    /** Closes content opened by {@link #prepare} that was never handed out (after a failed response). */
    public void release() {
        MessageSource p = prepared;
        prepared = null;
        if (p != null) {
            p.close();
        }
    }

    /** The message was expunged by another session while this one still has it in its snapshot. */
    public static final class ExpungedException extends IOException {
        private static final long serialVersionUID = 1L;

        public ExpungedException(long uid) {
            super("message with UID " + uid + " has been expunged");
        }
    }
}
