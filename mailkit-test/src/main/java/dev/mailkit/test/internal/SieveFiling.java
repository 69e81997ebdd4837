package dev.mailkit.test.internal;

import dev.mailkit.core.Envelope;
import dev.mailkit.core.MailAddress;
import dev.mailkit.core.MessageSource;
import dev.mailkit.core.SmtpReply;
import dev.mailkit.core.outbound.OutboundQueue;
import dev.mailkit.sieve.SieveCompileException;
import dev.mailkit.sieve.SieveDelivery;
import dev.mailkit.sieve.SieveScript;
import dev.mailkit.sieve.SieveScripts;
import dev.mailkit.store.AccountId;
import dev.mailkit.store.Flags;
import dev.mailkit.store.MailAccount;
import dev.mailkit.store.MailStore;
import dev.mailkit.store.MailStoreException;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.delivery.DeliveryDecision;
import dev.mailkit.store.delivery.DeliveryRequest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Sieve in a test server: users' scripts in a temporary directory (Dovecot's layout), each recipient's copy filed as
 * the script decides, and redirects and vacation replies "sent" by recording them as mail the server received, so a
 * test can await them like any other message. Thread-safe.
 */
public final class SieveFiling implements AutoCloseable {
    private final MailStore store;
    private final Path home;
    private final SieveScripts scripts;
    private final SieveDelivery delivery;

    /** Scripts under a new temporary directory; sent mail goes to {@code recorder}. */
    public SieveFiling(MailStore store, Recorder recorder) {
        this.store = store;
        try {
            this.home = Files.createTempDirectory("mailkit-test-sieve");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.scripts = SieveScripts.homes(id -> home.resolve(id.domain()).resolve(id.localPart()));
        this.delivery = SieveDelivery.builder().scripts(scripts).outbound(new Loopback(recorder)).build();
    }

    /**
     * Installs and activates a user's script in a test server's Sieve, or says that it has none.
     *
     * @throws IllegalArgumentException with sievec's error lines if it does not compile
     * @throws IllegalStateException    if {@code sieve} is null (the server was built without Sieve)
     */
    public static void install(SieveFiling sieve, String address, String script) {
        if (sieve == null) {
            throw new IllegalStateException("this test server runs no Sieve: build it with MailKit.builder().sieve()");
        }
        sieve.install(address, script);
    }

    /** Closes a test server's Sieve, if it has one. */
    public static void close(SieveFiling sieve) {
        if (sieve != null) {
            sieve.close();
        }
    }

    /**
     * Installs and activates a user's script.
     *
     * @throws IllegalArgumentException with sievec's error lines if it does not compile
     */
    public void install(String address, String script) {
        AccountId id = AccountId.of(MailAddress.parse(address));
        try {
            SieveScript.compile("script", script, scripts.includes(id));
            scripts.write(id, "script", script);
            scripts.activate(id, "script");
        } catch (SieveCompileException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Files one recipient's copy; returns the reply refusing it, or null. */
    public SmtpReply file(Envelope e, MailAddress rcpt, MessageSource m) throws IOException {
        MailAccount account = store.account(rcpt);
        DeliveryDecision d = delivery.decide(new DeliveryRequest(e, rcpt, rcpt, account, MailboxName.INBOX, m));
        if (d.refusal().isPresent()) {
            return d.refusal().get();
        }
        boolean stored = false;
        try {
            Map<MailboxName, Flags> targets = new LinkedHashMap<>();
            for (DeliveryDecision.Filing f : d.filings()) {
                MailboxName box = f.mailbox().orElse(MailboxName.INBOX);
                if (!account.exists(box)) {
                    if (f.create()) {
                        try {
                            account.create(box);
                        } catch (MailStoreException ex) {
                            box = MailboxName.INBOX;
                        }
                    } else {
                        box = MailboxName.INBOX;
                    }
                }
                targets.merge(box, f.flags(), Flags::union);
            }
            for (Map.Entry<MailboxName, Flags> t : targets.entrySet()) {
                try (Mailbox mailbox = account.open(t.getKey())) {
                    mailbox.append(m, t.getValue(), e.receivedAt());
                }
            }
            stored = true;
        } finally {
            for (DeliveryDecision.Completion c : d.completions()) {
                c.done(stored);
            }
        }
        return null;
    }

    @Override
    public void close() {
        try (Stream<Path> s = Files.walk(home)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a temporary directory: nothing to do
        }
    }

    /** An outbound queue that records what is committed as received mail. */
    private static final class Loopback implements OutboundQueue {
        private final Recorder recorder;

        Loopback(Recorder recorder) {
            this.recorder = recorder;
        }

        private final java.util.concurrent.atomic.AtomicLong ids = new java.util.concurrent.atomic.AtomicLong();

        @Override
        public Prepared prepare(Envelope given, MessageSource message) throws IOException {
            MessageSource copy;
            try (java.io.InputStream in = message.openStream()) {
                copy = MessageSource.of(in.readAllBytes());
            }
            Envelope envelope = given.toBuilder().transactionId("sieve-" + ids.incrementAndGet()).protocol("LOCAL")
                    .build();
            return new Prepared() {
                private boolean done;

                @Override
                public String id() {
                    return envelope.transactionId();
                }

                @Override
                public String commit() throws IOException {
                    if (!done) {
                        done = true;
                        recorder.deliver(envelope, copy);
                    }
                    return id();
                }

                @Override
                public void abort() {
                    done = true;
                }
            };
        }

        @Override
        public void reportDelivered(Envelope envelope, MessageSource message, List<MailAddress> recipients) {
        }
    }
}
