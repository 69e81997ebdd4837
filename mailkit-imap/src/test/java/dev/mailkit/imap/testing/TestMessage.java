package dev.mailkit.imap.testing;

import dev.mailkit.core.MessageSource;
import dev.mailkit.imap.internal.message.EnvelopeFields;
import dev.mailkit.imap.internal.message.MessageData;
import dev.mailkit.imap.internal.message.MessageFlags;
import dev.mailkit.imap.internal.message.MimePart;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** A message with hand-made structure for encoder tests. */
public final class TestMessage implements MessageData {
    public long uid = 1;
    public MessageFlags flags = MessageFlags.NONE;
    public Instant internalDate = Instant.parse("2024-01-01T09:00:00Z");
    public long modseq = 1;
    public EnvelopeFields envelope;
    public MimePart structure;
    public final byte[] bytes;
    public int contentsOpened;
    public Instant saveDate;
    public boolean keepsSaveDates;
    public String emailId;
    public String threadId;

    public TestMessage(String text) {
        this.bytes = text.getBytes(StandardCharsets.UTF_8);
    }

    @Override public long uid() { return uid; }
    @Override public MessageFlags flags() { return flags; }
    @Override public Instant internalDate() { return internalDate; }
    @Override public long size() { return bytes.length; }
    @Override public long modseq() { return modseq; }
    @Override public EnvelopeFields envelope() { return envelope; }
    @Override public MimePart structure() { return structure; }
    @Override public boolean keepsSaveDates() { return keepsSaveDates; }
    @Override public Instant saveDate() { return saveDate; }
    @Override public String emailId() { return emailId; }
    @Override public String threadId() { return threadId; }

    @Override
    public MessageSource content() {
        contentsOpened++;
        return MessageSource.of(bytes);
    }

    /** The offset just after the n-th (1-based) occurrence of the marker. */
    public int after(String marker, int occurrence) {
        String s = new String(bytes, StandardCharsets.UTF_8);
        int i = -1;
        for (int k = 0; k < occurrence; k++) {
            i = s.indexOf(marker, i + 1);
            if (i < 0) {
                throw new IllegalArgumentException(marker + " #" + occurrence);
            }
        }
        return i + marker.length();
    }

    /** The offset of the n-th occurrence of the marker. */
    public int at(String marker, int occurrence) {
        return after(marker, occurrence) - marker.length();
    }
}
