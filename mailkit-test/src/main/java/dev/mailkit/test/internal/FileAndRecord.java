package dev.mailkit.test.internal;

import dev.mailkit.core.Envelope;
import dev.mailkit.core.MailAddress;
import dev.mailkit.core.MessageSource;
import dev.mailkit.core.sink.DeliveryReport;
import dev.mailkit.core.sink.MessageSink;
import dev.mailkit.store.Flags;
import dev.mailkit.store.MailStore;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxName;

import java.io.IOException;

/**
 * The sink of a test server with mailboxes: files each accepted message into the INBOX of every envelope recipient
 * (so that IMAP and POP3 show the mail the SMTP record has), then records it. Thread-safe.
 */
public final class FileAndRecord implements MessageSink {
    private final MailStore store;
    private final Recorder recorder;

    /** Files into the store, then records. */
    public FileAndRecord(MailStore store, Recorder recorder) {
        this.store = store;
        this.recorder = recorder;
    }

    @Override
    public DeliveryReport deliver(Envelope e, MessageSource m) throws IOException {
        for (MailAddress rcpt : e.recipients()) {
            try (Mailbox inbox = store.account(rcpt).open(MailboxName.INBOX)) {
                inbox.append(m, Flags.NONE, e.receivedAt());
            }
        }
        return recorder.deliver(e, m);
    }
}
