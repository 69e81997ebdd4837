package dev.mailkit.test.internal;

import dev.mailkit.core.Envelope;
import dev.mailkit.core.MailAddress;
import dev.mailkit.core.MessageSource;
import dev.mailkit.core.sink.DeliveryReport;
import dev.mailkit.core.sink.MessageSink;
import dev.mailkit.store.AccountId;
import dev.mailkit.store.Flags;
import dev.mailkit.store.MailStore;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxName;

import java.io.IOException;

/**
 * The sink of a test server with mailboxes: files each accepted message into the INBOX of every envelope recipient
 * (so that IMAP and POP3 show the mail the SMTP record has) and, for the web inbox, once into the capture account
 * (one message per transaction, as Mailpit shows it), then records it. Thread-safe.
 */
public final class FileAndRecord implements MessageSink {
    private final MailStore store;
    private final Recorder recorder;
    private final boolean perRecipient;
    private final AccountId capture;
    private final SieveFiling sieve;

    /**
     * Files into the store, then records.
     *
     * @param perRecipient whether each recipient's INBOX gets a copy (IMAP, POP3)
     * @param capture      the account that gets one copy per transaction (the web inbox's), or null
     */
    public FileAndRecord(MailStore store, Recorder recorder, boolean perRecipient, String capture) {
        this(store, recorder, perRecipient, capture, null);
    }

    /** The same, each recipient's copy filed as its Sieve script decides (when {@code sieve} is not null). */
    public FileAndRecord(MailStore store, Recorder recorder, boolean perRecipient, String capture,
                         SieveFiling sieve) {
        this.sieve = sieve;
        this.store = store;
        this.recorder = recorder;
        this.perRecipient = perRecipient;
        this.capture = capture == null ? null : AccountId.parse(capture);
    }

    @Override
    public DeliveryReport deliver(Envelope e, MessageSource m) throws IOException {
        DeliveryReport.Builder refused = null;
        if (sieve != null) {
            for (MailAddress rcpt : e.recipients()) {
                dev.mailkit.core.SmtpReply r = sieve.file(e, rcpt, m);
                if (r != null) {
                    refused = refused == null ? DeliveryReport.builder() : refused;
                    refused.failed(rcpt, r);
                }
            }
        } else if (perRecipient) {
            for (MailAddress rcpt : e.recipients()) {
                try (Mailbox inbox = store.account(rcpt).open(MailboxName.INBOX)) {
                    inbox.append(m, Flags.NONE, e.receivedAt());
                }
            }
        }
        if (capture != null) {
            try (Mailbox inbox = store.account(capture).open(MailboxName.INBOX)) {
                inbox.append(m, Flags.NONE, e.receivedAt());
            }
        }
        DeliveryReport recorded = recorder.deliver(e, m);
        return refused == null ? recorded : refused.build();
    }
}
