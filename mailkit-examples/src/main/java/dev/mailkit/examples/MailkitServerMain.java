package dev.mailkit.examples;

import dev.mailkit.core.Envelope;
import dev.mailkit.core.MailAddress;
import dev.mailkit.core.MessageSource;
import dev.mailkit.core.MessageSpool;
import dev.mailkit.core.SmtpReply;
import dev.mailkit.core.auth.InMemoryUserDirectory;
import dev.mailkit.core.auth.UserDirectory;
import dev.mailkit.core.server.ProxyProtocol;
import dev.mailkit.core.server.AuthFailurePenalty;
import dev.mailkit.core.sink.DeliveryReport;
import dev.mailkit.core.sink.MessageSink;
import dev.mailkit.core.tls.TlsConfig;
import dev.mailkit.imap.ImapServer;
import dev.mailkit.pop3.Pop3Server;
import dev.mailkit.sieve.ManageSieveServer;
import dev.mailkit.sieve.SieveDelivery;
import dev.mailkit.sieve.SieveScripts;
import dev.mailkit.smtp.SmtpRole;
import dev.mailkit.smtp.SmtpServer;
import dev.mailkit.mailauth.dkim.DkimVerifier;
import dev.mailkit.mailauth.dmarc.DmarcChecker;
import dev.mailkit.mailauth.dmarc.DmarcFilter;
import dev.mailkit.mailauth.dnsbl.DnsBlocklistFilter;
import dev.mailkit.mailauth.dkim.DkimSigner;
import dev.mailkit.relay.RelayEvent;
import dev.mailkit.relay.RelayQueue;
import dev.mailkit.relay.RelayTls;
import dev.mailkit.relay.SmartHost;
import dev.mailkit.mailauth.spf.SpfChecker;
import dev.mailkit.scan.ClamdClient;
import dev.mailkit.scan.FailurePolicy;
import dev.mailkit.scan.FileQuarantine;
import dev.mailkit.scan.JunkFolder;
import dev.mailkit.scan.MilterClient;
import dev.mailkit.scan.RspamdClient;
import dev.mailkit.scan.ScanFilter;
import dev.mailkit.scan.ScannerLearning;
import dev.mailkit.scan.SpamdClient;
import dev.mailkit.store.MailStore;
import dev.mailkit.store.delivery.DeliveryAgent;
import dev.mailkit.store.maildir.MaildirMailStore;
import dev.mailkit.store.memory.MemoryMailStore;
import dev.mailkit.web.MailSender;
import dev.mailkit.web.TraceRecorder;
import dev.mailkit.web.WebServer;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * The runnable mailkit server: SMTP on an MX port, a submission port and an implicit-TLS port, IMAP with STARTTLS
 * and IMAPS, every port with TLS (a generated certificate unless one is given), for trying mailkit and for local
 * development. Accepted mail goes through the {@link DeliveryAgent} (users, aliases, catch-alls, plus-addressing)
 * into a durable Maildir under {@code --data} (Dovecot can serve it as it is), readable over IMAP. Mail that
 * authenticated users (or clients in {@code --trusted-network}s) send to other domains goes through a durable relay
 * queue in {@code DATA/.relay-queue}, to the recipients' MX hosts or to {@code --relay-host}. See
 * {@link ServerOptions} for the options. Stops cleanly on SIGTERM or Ctrl-C.
 */
public final class MailkitServerMain {
    /** New mail is refused with 452 4.3.1 while the data directory's file system has less free (64 MiB). */
    static final long MIN_FREE_SPACE = 64L * 1024 * 1024;

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
        final Pop3Server pop3;
        final MailStore store;
        final DeliveryAgent agent;
        final TlsConfig tls;
        final RelayQueue relay;
        final WebServer web;
        ManageSieveServer manageSieve;

        Running(SmtpServer smtp, ImapServer imap, Pop3Server pop3, MailStore store, DeliveryAgent agent,
                TlsConfig tls, RelayQueue relay, WebServer web) {
            this.smtp = smtp;
            this.imap = imap;
            this.pop3 = pop3;
            this.store = store;
            this.agent = agent;
            this.tls = tls;
            this.relay = relay;
            this.web = web;
        }

        /** The ManageSieve server for users' Sieve scripts. */
        public ManageSieveServer manageSieve() {
            return manageSieve;
        }

        /** The web inbox and Mailpit-compatible API. */
        public WebServer web() {
            return web;
        }

        public RelayQueue relay() {
            return relay;
        }

        public SmtpServer smtp() {
            return smtp;
        }

        public ImapServer imap() {
            return imap;
        }

        public Pop3Server pop3() {
            return pop3;
        }

        /** The mailbox store mail is delivered into and IMAP and POP3 serve. */
        public MailStore store() {
            return store;
        }

        /** The delivery agent behind the SMTP server. */
        public DeliveryAgent agent() {
            return agent;
        }

        public TlsConfig tls() {
            return tls;
        }

        /** Stops the servers (waiting for deliveries under way), then closes the store cleanly. */
        @Override
        public void close() {
            try {
                web.close();
                manageSieve.close();
                smtp.close();
                relay.close();
                imap.close();
                pop3.close();
            } finally {
                store.close();
            }
        }
    }

    /** Starts everything the options ask for and prints where it listens. */
    public static Running start(ServerOptions o, PrintStream out) {
        try {
            Files.createDirectories(o.data);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data directory " + o.data + ": " + e.getMessage(), e);
        }
        TlsConfig tls = o.tlsCert != null ? TlsConfig.fromPem(o.tlsCert, o.tlsKey) : TlsConfig.selfSigned();
        UserDirectory users;
        MailStore store;
        List<String> knownDomains = o.domains;
        if (o.store.equals("postgres")) { // mailboxes and users in the database that every node shares
            ClusterOptions.Postgres pg = o.cluster.openPostgres(o.users, o.domains);
            users = pg.users();
            store = pg.store();
            knownDomains = pg.domains();
        } else {
            InMemoryUserDirectory.Builder ub = InMemoryUserDirectory.builder();
            o.users.forEach(ub::user);
            users = ub.build();
            store = o.store.equals("memory") ? MemoryMailStore.builder().standardMailboxes().build()
                    : MaildirMailStore.builder(o.data).standardMailboxes().build();
        }
        ProxyProtocol proxy = o.cluster.proxyProtocol();
        AuthFailurePenalty penalty = AuthFailurePenalty.defaults(); // one per client address for SMTP and POP3
        SmtpServer smtp = null;
        ImapServer imap = null;
        Pop3Server pop3 = null;
        RelayQueue relay = null;
        ManageSieveServer manageSieve = null;
        TraceRecorder trace = TraceRecorder.create(); // "where did my mail go?" in the web inbox
        // users' Sieve scripts where Dovecot keeps them (~/.dovecot.sieve in the account directory); redirects and
        // vacation replies go out through the relay queue, made below (it needs the sink this agent is part of)
        SieveScripts sieveScripts = SieveScripts.maildir(o.data);
        LateQueue outbound = new LateQueue();
        try {
            DeliveryAgent.Builder ab = DeliveryAgent.builder().store(store).users(users)
                    .deliveryRule(SieveDelivery.builder().scripts(sieveScripts).outbound(outbound).build());
            if (o.scanning.any()) {
                ab.mailboxRule(JunkFolder.builder().build()); // what the scanners mark as spam goes into Junk
            }
            o.aliases.forEach((alias, targets) -> ab.alias(alias, targets.toArray(new String[0])));
            o.catchAll.forEach(ab::catchAll);
            DeliveryAgent agent = ab.build();
            MessageSink traced = trace.sink(agent); // the trace names the mailboxes each copy went into
            MessageSink sink = new MessageSink() {
                @Override
                public DeliveryReport deliver(Envelope e, MessageSource m) throws IOException {
                    DeliveryReport r = traced.deliver(e, m);
                    String subject = m.headers().getHeader("Subject", null);
                    out.println("message " + e.transactionId() + " from " + e.reversePathString() + " to "
                            + e.recipients() + ", " + m.size() + " bytes"
                            + (subject == null ? "" : ", subject: " + subject)
                            + (r.isAllDelivered() ? "" : ", not delivered to " + r.failures().keySet()));
                    return r;
                }

                @Override
                public Optional<SmtpReply> checkRecipient(Envelope transaction, MailAddress recipient) {
                    return agent.checkRecipient(transaction, recipient);
                }
            };
            List<String> domains = new ArrayList<>(knownDomains);
            if (domains.isEmpty()) {
                domains.add("localhost");
            }
            MessageSpool spool = MessageSpool.create(o.data.resolve(".spool"), MessageSpool.DEFAULT_THRESHOLD);
            relay = relay(o, domains, sink, trace, out);
            outbound.bind(relay);
            SmtpServer.Builder sb = SmtpServer.builder();
            if (!o.dnsbl.isEmpty()) {
                DnsBlocklistFilter.Builder bl = DnsBlocklistFilter.builder()
                        .exempt(o.trustedNetworks.toArray(new String[0]));
                o.dnsbl.forEach(bl::zone);
                sb.filters(bl.build());
            }
            if (o.inboundAuth != null) {
                DmarcFilter auth = DmarcFilter.of(SpfChecker.builder().receiver(domains.get(0)).build(),
                        DkimVerifier.builder().build(), DmarcChecker.builder().build(), domains.get(0));
                sb.filters(o.inboundAuth.equals("enforce") ? auth : auth.recordOnly());
            }
            if (o.scanning.any()) {
                sb.filters(scanFilter(o, domains.get(0)));
            }
            if (proxy != null) { // behind a load balancer: the clients' addresses come in PROXY headers
                sb.proxyProtocol(proxy);
            }
            smtp = sb
                    .filters(trace)
                    .transcripts(true)
                    .bindAddress(o.bind)
                    .mx(o.smtpPort).submission(o.submissionPort).smtps(o.smtpsPort)
                    .localDomains(domains.toArray(new String[0]))
                    .users(users)
                    .tls(tls)
                    .sink(sink)
                    .relay(relay)
                    .trustedNetworks(o.trustedNetworks.toArray(new String[0]))
                    .authFailurePenalty(penalty)
                    .spool(spool)
                    .minFreeSpace(o.data, MIN_FREE_SPACE)
                    .maxConnections(o.maxConnections).maxConnectionsPerAddress(o.maxConnectionsPerAddress)
                    .build()
                    .start();
            ImapServer.Builder ib = ImapServer.builder();
            learning(o).ifPresent(ib::spamLearning);
            Pop3Server.Builder pb = Pop3Server.builder();
            if (proxy != null) {
                ib.proxyProtocol(proxy);
                pb.proxyProtocol(proxy);
            }
            imap = ib
                    .bindAddress(o.bind)
                    .port(o.imapPort).implicitTlsPort(o.imapsPort)
                    .users(users)
                    .store(store)
                    .tls(tls)
                    .spool(spool)
                    .maxConnections(o.maxConnections).maxConnectionsPerAddress(o.maxConnectionsPerAddress)
                    .build()
                    .start();
            pop3 = pb
                    .bindAddress(o.bind)
                    .port(o.pop3Port).implicitTlsPort(o.pop3sPort)
                    .users(users)
                    .store(store)
                    .tls(tls)
                    .authFailurePenalty(penalty)
                    .maxConnections(o.maxConnections).maxConnectionsPerAddress(o.maxConnectionsPerAddress)
                    .build()
                    .start();
            ManageSieveServer.Builder msb = ManageSieveServer.builder();
            if (proxy != null) {
                msb.proxyProtocol(proxy);
            }
            manageSieve = msb.bindAddress(o.bind).port(o.managesievePort).users(users)
                    .scripts(sieveScripts).tls(tls).authFailurePenalty(penalty).build().start();
            WebServer web = web(o, store, users, penalty, relay, trace, domains, tls, proxy).start();
            Path pem = null;
            if (tls.isSelfSigned()) {
                pem = tls.writeCertificatePem(o.data.resolve("certificate.pem"));
            }
            String host = o.bind.getHostAddress();
            out.println("mailkit started");
            out.println("  SMTP (MX)           " + host + ":" + smtp.port(SmtpRole.MX) + "  STARTTLS");
            out.println("  SMTP submission     " + host + ":" + smtp.port(SmtpRole.SUBMISSION)
                    + "  STARTTLS, then AUTH");
            out.println("  SMTPS               " + host + ":" + smtp.port(SmtpRole.SMTPS) + "  implicit TLS, AUTH");
            out.println("  IMAP                " + host + ":" + imap.port() + "  STARTTLS, then LOGIN");
            out.println("  IMAPS               " + host + ":" + imap.implicitTlsPort() + "  implicit TLS");
            out.println("  POP3                " + host + ":" + pop3.port() + "  STLS, then USER/PASS or AUTH");
            out.println("  POP3S               " + host + ":" + pop3.implicitTlsPort() + "  implicit TLS");
            out.println("  ManageSieve         " + host + ":" + manageSieve.port() + "  STARTTLS, then AUTHENTICATE;"
                    + " scripts in <data>/<domain>/<user>/sieve/, active: .dovecot.sieve");
            out.println("  web inbox, API      " + web.url() + (o.httpOpen ? "  open: no login (test inbox)"
                    : "  log in with a --user's address and password"));
            out.println("  domains             " + String.join(", ", domains));
            out.println("  users               " + (o.users.isEmpty() ? "(none: add --user ADDR:PASSWORD)"
                    : String.join(", ", o.users.keySet())));
            out.println("  TLS certificate     " + (pem != null ? "generated for localhost; trust " + pem
                    : o.tlsCert.toString()));
            out.println("  relay               " + (o.relayHost == null ? "to the recipients' MX hosts (DNS)"
                    : "through " + relay.smartHost().orElseThrow()) + ", queue " + relay.directory());
            out.println("  trusted networks    " + (o.trustedNetworks.isEmpty() ? "none (relaying needs AUTH)"
                    : String.join(", ", o.trustedNetworks)));
            if (o.inboundAuth != null) {
                out.println("  inbound auth        SPF, DKIM, DMARC recorded in Authentication-Results"
                        + (o.inboundAuth.equals("enforce") ? "; DMARC p=reject failures refused" : ""));
            }
            if (!o.dnsbl.isEmpty()) {
                out.println("  DNS blocklists      " + String.join(", ", o.dnsbl) + " (refused at RCPT unless AUTH or"
                        + " trusted)");
            }
            if (o.scanning.any()) {
                out.println("  content scanning    " + describe(o.scanning) + "; spam into Junk; quarantine "
                        + o.data.resolve(".quarantine"));
            }
            if (o.dkimDomain != null) {
                DkimSigner s = signer(o);
                out.println("  DKIM                " + s.algorithm() + " for " + s.domain() + "; publish TXT "
                        + s.dnsName() + " \"" + s.dnsRecord().orElse("(the public key)") + "\"");
            }
            out.println("  store               " + (o.store.equals("postgres") ? "postgres " + store
                    + " (node " + (o.cluster.nodeName() == null ? "default name" : o.cluster.nodeName()) + ")"
                    : o.store.equals("memory")
                    ? "memory (readable over IMAP and POP3, kept until exit)"
                    : "maildir " + o.data.toAbsolutePath() + "/<domain>/<user>/ (Dovecot: mail_location = maildir:"
                    + o.data.toAbsolutePath() + "/%d/%n)"));
            out.flush();
            Running running = new Running(smtp, imap, pop3, store, agent, tls, relay, web);
            running.manageSieve = manageSieve;
            return running;
        } catch (RuntimeException e) {
            if (manageSieve != null) {
                manageSieve.close();
            }
            if (smtp != null) {
                smtp.close();
            }
            if (pop3 != null) {
                pop3.close();
            }
            if (relay != null) {
                relay.close();
            }
            if (imap != null) {
                imap.close();
            }
            store.close();
            throw e;
        }
    }

    /**
     * The web inbox and API: plain HTTP on a loopback address (HTTPS with the mail certificate on any other), logins
     * of the --user addresses (or none with --http-open), sending through the relay queue, the trace, the queue view.
     */
    private static WebServer web(ServerOptions o, MailStore store, UserDirectory users,
                                 AuthFailurePenalty penalty, RelayQueue relay, TraceRecorder trace,
                                 List<String> domains, TlsConfig tls, ProxyProtocol proxy) {
        WebServer.Builder b = WebServer.builder().store(store).bindAddress(o.bind).port(o.httpPort)
                .authFailurePenalty(penalty).submission(MailSender.queue(relay)).relayQueue(relay).trace(trace)
                .hostNames(domains.toArray(new String[0]))
                .maxConnections(o.maxConnections, o.maxConnectionsPerAddress);
        if (proxy != null) {
            b.proxyProtocol(proxy);
        }
        if (!o.bind.isLoopbackAddress()) {
            b.tls(tls);
        }
        if (o.httpOpen) {
            List<String> shown = new ArrayList<>(o.users.keySet());
            o.catchAll.values().stream().filter(a -> !shown.contains(a)).forEach(shown::add);
            b.openAccess(shown.toArray(new String[0]));
        } else {
            b.users(users);
        }
        return b.build();
    }

    /** The relay queue in DATA/.relay-queue: MX delivery or the smart host, DKIM, bounces to local senders delivered. */
    private static RelayQueue relay(ServerOptions o, List<String> domains, MessageSink local, TraceRecorder trace,
                                    PrintStream out) {
        RelayQueue.Builder b = RelayQueue.builder(o.data.resolve(".relay-queue"))
                .localDelivery(local, domains.toArray(new String[0]))
                .onEvent(e -> {
                    trace.relayEvent(e);
                    if (e.type() != RelayEvent.Type.QUEUED) {
                        out.println("relay " + e);
                    }
                });
        if (o.relayHost != null) {
            SmartHost.Builder sh = SmartHost.parse(o.relayHost)
                    .tls(o.relayTls.equals("required") ? RelayTls.REQUIRED : RelayTls.OPPORTUNISTIC);
            if (o.relayUser != null) {
                sh.auth(o.relayUser, o.relayPassword);
            }
            b.smartHost(sh.build());
        }
        if (o.dkimDomain != null) {
            b.signers(signer(o));
        }
        return b.build().start();
    }

    /** The scanners and milters of the options, in the order Rspamd, spamd, clamd, milters. */
    private static ScanFilter scanFilter(ServerOptions o, String hostName) {
        ServerOptions.Scanning sc = o.scanning;
        ScanFilter.Builder b = ScanFilter.builder().hostName(hostName).scanOutbound(sc.outbound())
                .onFailure(sc.failure().equals("accept") ? FailurePolicy.ACCEPT : FailurePolicy.TEMPFAIL)
                .quarantine(FileQuarantine.open(o.data.resolve(".quarantine")));
        if (sc.rspamd() != null) {
            b.scanner(rspamd(sc).build());
        }
        if (sc.spamd() != null) {
            b.scanner(SpamdClient.builder(sc.spamd()).build());
        }
        if (sc.clamd() != null) {
            b.scanner(ClamdClient.builder(sc.clamd()).build());
        }
        int n = 0;
        for (String m : sc.milters()) {
            b.milter(MilterClient.builder(m).name("milter" + (++n)).build());
        }
        return b.build();
    }

    private static RspamdClient.Builder rspamd(ServerOptions.Scanning sc) {
        RspamdClient.Builder r = RspamdClient.builder(sc.rspamd());
        if (sc.rspamdController() != null) {
            r.controller(sc.rspamdController(), sc.rspamdPassword());
        }
        return r;
    }

    /** Learning from IMAP moves: Rspamd through its controller, spamd with TELL. */
    private static Optional<ScannerLearning> learning(ServerOptions o) {
        ServerOptions.Scanning sc = o.scanning;
        if (sc.rspamdController() == null && sc.spamd() == null) {
            return Optional.empty();
        }
        ScannerLearning.Builder b = ScannerLearning.builder();
        if (sc.rspamdController() != null) {
            b.rspamd(rspamd(sc).build());
        }
        if (sc.spamd() != null) {
            b.spamd(SpamdClient.builder(sc.spamd()).build());
        }
        return Optional.of(b.build());
    }

    private static String describe(ServerOptions.Scanning sc) {
        List<String> parts = new ArrayList<>();
        if (sc.rspamd() != null) {
            parts.add("rspamd " + sc.rspamd());
        }
        if (sc.spamd() != null) {
            parts.add("spamd " + sc.spamd());
        }
        if (sc.clamd() != null) {
            parts.add("clamd " + sc.clamd());
        }
        sc.milters().forEach(m -> parts.add("milter " + m));
        return String.join(", ", parts) + "; when one is down: " + (sc.failure().equals("accept")
                ? "accept, marked unscanned" : "451 4.7.1") + (sc.outbound() ? "; submissions scanned too" : "");
    }

    private static DkimSigner signer(ServerOptions o) {
        return DkimSigner.fromPem(o.dkimDomain, o.dkimSelector, o.dkimKey);
    }
}
