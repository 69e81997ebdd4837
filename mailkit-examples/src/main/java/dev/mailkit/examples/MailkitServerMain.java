package dev.mailkit.examples;

import dev.mailkit.core.Envelope;
import dev.mailkit.core.MailAddress;
import dev.mailkit.core.MessageSource;
import dev.mailkit.core.MessageSpool;
import dev.mailkit.core.auth.InMemoryUserDirectory;
import dev.mailkit.core.sink.DeliveryReport;
import dev.mailkit.core.sink.InMemorySink;
import dev.mailkit.core.sink.MessageSink;
import dev.mailkit.core.tls.TlsConfig;
import dev.mailkit.smtp.SmtpRole;
import dev.mailkit.smtp.SmtpServer;
import dev.mailkit.imap.ImapServer;
import dev.mailkit.store.MailStore;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.memory.MemoryMailStore;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The runnable mailkit server: SMTP on an MX port, a submission port and an implicit-TLS port, IMAP with STARTTLS
 * and IMAPS, every port with TLS (a generated certificate unless one is given), for trying mailkit and for local
 * development. Mail for the users lands in their INBOX, readable over IMAP. See
 * {@link ServerOptions} for the options. Stops cleanly on SIGTERM or Ctrl-C.
 */
public final class MailkitServerMain {
    private MailkitServerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        ServerOptions options;
        try {
            options = ServerOptions.parse(args);
        } catch (ServerOptions.UsageException e) {
            System.err.println("mailkit: " + e.getMessage());
            System.err.println(ServerOptions.USAGE);
            System.exit(2);
            return;
        }
        if (options.help) {
            System.out.println(ServerOptions.USAGE);
            return;
        }
        Running running;
        try {
            running = start(options, System.out);
        } catch (RuntimeException e) {
            System.err.println("mailkit: cannot start: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.close();
            System.out.println("mailkit stopped");
            System.out.flush();
            stopped.countDown();
        }, "mailkit-shutdown"));
        stopped.await();
    }

    /** The servers started from the options; closing stops them all. */
    public static final class Running implements AutoCloseable {
        final SmtpServer smtp;
        final ImapServer imap;
        final MailStore store;
        final InMemorySink memory;
        final TlsConfig tls;

        Running(SmtpServer smtp, ImapServer imap, MailStore store, InMemorySink memory, TlsConfig tls) {
            this.smtp = smtp;
            this.imap = imap;
            this.store = store;
            this.memory = memory;
            this.tls = tls;
        }

        public SmtpServer smtp() {
            return smtp;
        }

        public ImapServer imap() {
            return imap;
        }

        public MailStore store() {
            return store;
        }

        public InMemorySink memory() {
            return memory;
        }

        public TlsConfig tls() {
            return tls;
        }

        @Override
        public void close() {
            smtp.close();
            imap.close();
            store.close();
        }
    }

    /** Starts everything the options ask for and prints where it listens. */
    public static Running start(ServerOptions o, PrintStream out) {
        if (o.store.equals("maildir")) {
            throw new IllegalStateException("the maildir store is not part of this build yet; use --store memory");
        }
        try {
            Files.createDirectories(o.data);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data directory " + o.data + ": " + e.getMessage(), e);
        }
        TlsConfig tls = o.tlsCert != null ? TlsConfig.fromPem(o.tlsCert, o.tlsKey) : TlsConfig.selfSigned();
        InMemoryUserDirectory.Builder ub = InMemoryUserDirectory.builder();
        o.users.forEach(ub::user);
        InMemoryUserDirectory users = ub.build();
        InMemorySink memory = new InMemorySink();
        MemoryMailStore store = MemoryMailStore.builder().standardMailboxes().build();
        MessageSink printing = (Envelope e, MessageSource m) -> {
            DeliveryReport r = memory.deliver(e, m);
            fileIntoInboxes(store, users, e, m);
            String subject = m.headers().getHeader("Subject", null);
            out.println("message " + e.transactionId() + " from " + e.reversePathString() + " to " + e.recipients()
                    + ", " + m.size() + " bytes" + (subject == null ? "" : ", subject: " + subject));
            return r;
        };
        List<String> domains = new ArrayList<>(o.domains);
        if (domains.isEmpty()) {
            domains.add("localhost");
        }
        SmtpServer smtp = SmtpServer.builder()
                .bindAddress(o.bind)
                .mx(o.smtpPort).submission(o.submissionPort).smtps(o.smtpsPort)
                .localDomains(domains.toArray(new String[0]))
                .users(users)
                .tls(tls)
                .sink(printing)
                .spool(MessageSpool.create(o.data.resolve("spool"), MessageSpool.DEFAULT_THRESHOLD))
                .build()
                .start();
        ImapServer imap;
        try {
            imap = ImapServer.builder()
                    .bindAddress(o.bind)
                    .port(o.imapPort).implicitTlsPort(o.imapsPort)
                    .users(users)
                    .store(store)
                    .tls(tls)
                    .spool(MessageSpool.create(o.data.resolve("spool"), MessageSpool.DEFAULT_THRESHOLD))
                    .build()
                    .start();
        } catch (RuntimeException e) {
            smtp.close();
            store.close();
            throw e;
        }
        Path pem = null;
        if (tls.isSelfSigned()) {
            pem = tls.writeCertificatePem(o.data.resolve("certificate.pem"));
        }
        String host = o.bind.getHostAddress();
        out.println("mailkit started");
        out.println("  SMTP (MX)           " + host + ":" + smtp.port(SmtpRole.MX) + "  STARTTLS");
        out.println("  SMTP submission     " + host + ":" + smtp.port(SmtpRole.SUBMISSION) + "  STARTTLS, then AUTH");
        out.println("  SMTPS               " + host + ":" + smtp.port(SmtpRole.SMTPS) + "  implicit TLS, AUTH");
        out.println("  IMAP                " + host + ":" + imap.port() + "  STARTTLS, then LOGIN");
        out.println("  IMAPS               " + host + ":" + imap.implicitTlsPort() + "  implicit TLS");
        out.println("  domains             " + String.join(", ", domains));
        out.println("  users               " + (o.users.isEmpty() ? "(none: add --user ADDR:PASSWORD)"
                : String.join(", ", o.users.keySet())));
        out.println("  TLS certificate     " + (pem != null ? "generated for localhost; trust " + pem
                : o.tlsCert.toString()));
        out.println("  store               memory (messages are listed here, readable over IMAP, kept until exit)");
        out.flush();
        return new Running(smtp, imap, store, memory, tls);
    }

    /**
     * Files an accepted message into the INBOX of every recipient who is a user (until the delivery agent of
     * mailkit-store takes this over: aliases, plus-addressing, quotas, Delivered-To).
     */
    private static void fileIntoInboxes(MailStore store, InMemoryUserDirectory users, Envelope e, MessageSource m) {
        for (MailAddress rcpt : e.recipients()) {
            if (users.findByAddress(rcpt).isPresent()) {
                try (Mailbox inbox = store.account(rcpt).open(MailboxName.INBOX)) {
                    inbox.append(m);
                }
            }
        }
    }
}
