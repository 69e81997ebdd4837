package dev.mailkit.imap.internal.command;

import dev.mailkit.core.MessageSource;
import dev.mailkit.imap.internal.message.MessageFlags;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * APPEND mailbox [flags] [date-time] literal, and more messages for MULTIAPPEND (RFC 3501 6.3.11, RFC 3502). The
 * messages' bytes were streamed into spooled {@link MessageSource}s while parsing; {@link #close()} releases them.
 */
public record AppendCommand(String tag, String mailbox, List<Message> messages) implements Command, AutoCloseable {
    /**
     * One message to append; {@code date} is null when the client gave none. A CATENATE message (RFC 4469) has its
     * {@code parts} and no {@code content} yet: the handler builds it from them.
     */
    public record Message(MessageFlags flags, OffsetDateTime date, MessageSource content, List<CatenatePart> parts) {
        public Message {
            parts = List.copyOf(parts);
        }

        /** A message sent whole as a literal. */
        public Message(MessageFlags flags, OffsetDateTime date, MessageSource content) {
            this(flags, date, content, List.of());
        }

        /** Releases its spooled bytes. */
        public void close() {
            if (content != null) {
                content.close();
            }
            for (CatenatePart p : parts) {
                if (p instanceof CatenatePart.Text t) {
                    t.content().close();
                }
            }
        }
    }

    public AppendCommand {
        messages = List.copyOf(messages);
    }

    @Override
    public String name() {
        return "APPEND";
    }

    /** Releases the spooled messages. */
    @Override
    public void close() {
        for (Message m : messages) {
            m.close();
        }
    }
}
