package dev.mailkit.examples;

import dev.mailkit.core.Envelope;
import dev.mailkit.core.MailAddress;
import dev.mailkit.core.MessageSource;
import dev.mailkit.core.MessageSpool;
import dev.mailkit.core.SmtpReply;
import dev.mailkit.core.auth.InMemoryUserDirectory;
import dev.mailkit.core.auth.UserDirectory;
import dev.mailkit.core.filter.MailFilter;
import dev.mailkit.core.server.AuthFailurePenalty;
import dev.mailkit.core.server.ProxyProtocol;
import dev.mailkit.core.server.MailServer;
import dev.mailkit.core.sink.DeliveryReport;
import dev.mailkit.core.sink.MessageSink;
import dev.mailkit.acme.AcmeCertificates;
import dev.mailkit.core.tls.TlsConfig;
import dev.mailkit.imap.ImapServer;
import dev.mailkit.mailauth.dkim.DkimSigner;
import dev.mailkit.mailauth.dkim.DkimVerifier;
import dev.mailkit.mailauth.dmarc.DmarcChecker;
import dev.mailkit.mailauth.dmarc.DmarcFilter;
import dev.mailkit.mailauth.dnsbl.DnsBlocklistFilter;
import dev.mailkit.mailauth.spf.SpfChecker;
import dev.mailkit.passwd.PasswdFileUserDirectory;
import dev.mailkit.pop3.Pop3Server;
import dev.mailkit.search.LuceneSearchIndex;
import dev.mailkit.sieve.ManageSieveServer;
import dev.mailkit.sieve.SieveDelivery;
import dev.mailkit.sieve.SieveScriptStore;
import dev.mailkit.sieve.SieveScripts;
import dev.mailkit.dns.DnsJavaResolver;
import dev.mailkit.relay.RelayQueue;
import dev.mailkit.relay.spi.QueueStorage;
import dev.mailkit.relay.RelayTls;
import dev.mailkit.relay.SmartHost;
import dev.mailkit.scan.ClamdClient;
import dev.mailkit.scan.FailurePolicy;
import dev.mailkit.scan.FileQuarantine;
import dev.mailkit.scan.JunkFolder;
import dev.mailkit.scan.MilterClient;
import dev.mailkit.scan.RspamdClient;
import dev.mailkit.scan.ScanFilter;
import dev.mailkit.scan.ScannerLearning;
import dev.mailkit.scan.SpamdClient;
import dev.mailkit.smtp.SmtpServer;
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
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import static dev.mailkit.examples.ServerOptions.*;

/** Puts the runnable server together from its options: the parts a reload rebuilds, and the servers. */
final class ServerAssembly {
    private ServerAssembly() {
    }

    /** The TLS certificate of the options (a generated one without --tls-cert). */
    static TlsConfig tls(ServerOptions o) {
        return o.get(TLS_CERT) != null ? TlsConfig.fromPem(o.get(TLS_CERT), o.get(TLS_KEY))
                : TlsConfig.selfSigned();
    }

    /**
     * The users: the --user ones (hashed in memory; with --store postgres the database's tables instead, where
     * start wrote the --user ones), then the users file.
     */
    static UserDirectory users(ServerOptions o, PasswdFileUserDirectory file, UserDirectory database) {
        List<UserDirectory> all = new ArrayList<>();
        if (database != null) {
            all.add(database);
        } else if (!o.get(USERS).isEmpty()) {
            InMemoryUserDirectory.Builder ub = InMemoryUserDirectory.builder();
            o.get(USERS).forEach(e -> ub.user(e.getKey(), e.getValue()));
            all.add(ub.build());
        }
        if (file != null) {
            all.add(file);
        }
        return all.size() == 1 ? all.get(0) : new Switchable.Chain(all);
    }

    static PasswdFileUserDirectory usersFile(ServerOptions o) {
        return o.get(USERS_FILE) == null ? null : PasswdFileUserDirectory.builder(o.get(USERS_FILE)).build();
    }

    /**
     * The delivery agent: users, aliases, catch-alls, users' Sieve scripts (redirects and vacation replies through
     * the relay queue), Junk when scanning.
     */
    static DeliveryAgent agent(ServerOptions o, MailStore store, UserDirectory users, SieveScriptStore sieve,
                               LateQueue outbound) {
        DeliveryAgent.Builder ab = DeliveryAgent.builder().store(store).users(users)
                .deliveryRule(SieveDelivery.builder().scripts(sieve).outbound(outbound).build());
        if (o.scanning()) {
            ab.mailboxRule(JunkFolder.builder().build()); // what the scanners mark as spam goes into Junk
        }
        for (Map.Entry<String, List<String>> a : o.get(ALIASES)) {
            ab.alias(a.getKey(), a.getValue().toArray(new String[0]));
        }
        o.get(CATCH_ALL).forEach(e -> ab.catchAll(e.getKey(), e.getValue()));
        return ab.build();
    }

    /** The SMTP filters a reload may change: DNS blocklists, SPF/DKIM/DMARC, the scanners. */
    static MailFilter filters(ServerOptions o) {
        List<MailFilter> filters = new ArrayList<>();
        String host = o.domains().get(0);
        if (!o.get(DNSBL).isEmpty()) {
            DnsBlocklistFilter.Builder bl = DnsBlocklistFilter.builder()
                    .exempt(o.get(TRUSTED_NETWORKS).toArray(new String[0]));
            o.get(DNSBL).forEach(bl::zone);
            filters.add(bl.build());
        }
        if (o.get(INBOUND_AUTH) != null) {
            DmarcFilter auth = DmarcFilter.of(SpfChecker.builder().receiver(host).build(),
                    DkimVerifier.builder().build(), DmarcChecker.builder().build(), host);
            filters.add(o.get(INBOUND_AUTH).equals("enforce") ? auth : auth.recordOnly());
        }
        if (o.scanning()) {
            filters.add(scanFilter(o, host));
        }
        return MailFilter.chain(filters);
    }

    /** Starts everything the options ask for and prints where it listens. */
    static MailkitServerMain.Running start(ServerOptions o, PrintStream out) {
        try {
            Files.createDirectories(o.get(DATA));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data directory " + o.get(DATA) + ": " + e.getMessage(), e);
        }
        TlsConfig tls = TlsConfig.replaceable(tls(o));
        PasswdFileUserDirectory usersFile = usersFile(o);
        MailStore store;
        UserDirectory database = null;
        QueueStorage queueStorage = null; // the relay queue in the database, with --store postgres
        List<String> domains = o.domains();
        // users' Sieve scripts where Dovecot keeps them (~/.dovecot.sieve in the account directory), or in the database
        // every node shares; redirects and vacation replies go out through the relay queue, made below (it needs the
        // sink this agent is part of)
        SieveScriptStore sieveScripts = SieveScripts.maildir(o.get(DATA));
        if (o.get(STORE).equals("postgres")) { // mailboxes and users in the database that every node shares
            Map<String, String> given = new LinkedHashMap<>();
            o.get(USERS).forEach(e -> given.put(e.getKey(), e.getValue()));
            ClusterOptions.Postgres pg = o.cluster().openPostgres(given, o.get(DOMAINS));
            store = pg.store();
            database = pg.users();
            queueStorage = pg.queue();
            domains = pg.domains().isEmpty() ? List.of("localhost") : pg.domains();
            sieveScripts = pg.sieve();
        } else {
            store = o.get(STORE).equals("memory") ? MemoryMailStore.builder().standardMailboxes().build()
                    : MaildirMailStore.builder(o.get(DATA)).standardMailboxes().build();
        }
        Switchable.Users users = new Switchable.Users(users(o, usersFile, database));
        ProxyProtocol proxy = o.cluster().proxyProtocol(); // behind load balancers: client addresses in PROXY headers
        int maxConnections = o.get(MAX_CONNECTIONS);
        int maxPerAddress = o.get(MAX_CONNECTIONS_PER_ADDRESS);
        AuthFailurePenalty penalty = AuthFailurePenalty.defaults(); // one per client address for SMTP and POP3
        SmtpServer smtp = null;
        ImapServer imap = null;
        Pop3Server pop3 = null;
        RelayQueue relay = null;
        WebServer web = null;
        TraceRecorder trace = TraceRecorder.create(); // "where did my mail go?" in the web inbox
        ServerMetrics metrics = new ServerMetrics(Clock.systemUTC());
        LateQueue outbound = new LateQueue();
        ManageSieveServer manageSieve = null;
        LuceneSearchIndex searchIndex = null;
        AcmeCertificates acme = null;
        try {
            // a certificate by ACME: the stored one is swapped in now, a new one whenever the CA issues it
            acme = AcmeOptions.start(o, tls, metrics, out);
            // the trace names the mailboxes each copy went into: it wraps each delivery agent a reload sets
            Switchable.Sink agent = new Switchable.Sink(agent(o, store, users, sieveScripts, outbound),
                    trace::sink);
            MessageSink sink = metrics.sink(new PrintingSink(agent, out));
            MessageSpool spool = MessageSpool.create(o.get(DATA).resolve(".spool"), MessageSpool.DEFAULT_THRESHOLD);
            relay = relay(o, queueStorage, domains, sink, trace, metrics, out);
            outbound.bind(relay);
            Switchable.Filters filters = new Switchable.Filters(filters(o));
            SmtpServer.Builder sb = SmtpServer.builder();
            if (proxy != null) {
                sb.proxyProtocol(proxy);
            }
            smtp = sb
                    .filters(metrics.filter(filters), trace)
                    .transcripts(true)
                    .bindAddress(o.get(BIND))
                    .mx(o.get(SMTP_PORT)).submission(o.get(SUBMISSION_PORT)).smtps(o.get(SMTPS_PORT))
                    .localDomains(domains.toArray(new String[0]))
                    .users(users)
                    .tls(tls)
                    .sink(sink)
                    .relay(relay)
                    .trustedNetworks(o.get(TRUSTED_NETWORKS).toArray(new String[0]))
                    .authFailurePenalty(penalty)
                    .spool(spool)
                    .minFreeSpace(o.get(DATA), MailkitServerMain.MIN_FREE_SPACE)
                    .maxConnections(maxConnections).maxConnectionsPerAddress(maxPerAddress)
                    .build()
                    .start();
            ImapServer.Builder ib = ImapServer.builder();
            Pop3Server.Builder pb = Pop3Server.builder();
            ManageSieveServer.Builder msb = ManageSieveServer.builder();
            if (proxy != null) {
                ib.proxyProtocol(proxy);
                pb.proxyProtocol(proxy);
                msb.proxyProtocol(proxy);
            }
            learning(o).ifPresent(ib::spamLearning);
            if (o.get(SEARCH_INDEX) != null) {
                searchIndex = LuceneSearchIndex.builder().directory(o.get(SEARCH_INDEX)).build();
                ib.searchIndex(searchIndex);
            }
            imap = ib.bindAddress(o.get(BIND)).port(o.get(IMAP_PORT)).implicitTlsPort(o.get(IMAPS_PORT)).users(users)
                    .store(store).tls(tls).spool(spool).maxConnections(maxConnections)
                    .maxConnectionsPerAddress(maxPerAddress).build().start();
            pop3 = pb.bindAddress(o.get(BIND)).port(o.get(POP3_PORT))
                    .implicitTlsPort(o.get(POP3S_PORT)).users(users).store(store).tls(tls).authFailurePenalty(penalty)
                    .maxConnections(maxConnections).maxConnectionsPerAddress(maxPerAddress).build().start();
            SmtpServer s = smtp;
            ImapServer i = imap;
            Pop3Server p = pop3;
            Map<String, Supplier<Integer>> connections = new LinkedHashMap<>();
            connections.put("smtp", s::connectionCount);
            connections.put("imap", i::connectionCount);
            connections.put("pop3", p::connectionCount);
            metrics.watch(connections, relay, tls::certificate);
            Map<String, MailServer> servers = new LinkedHashMap<>();
            servers.put("SMTP", s);
            servers.put("IMAP", i);
            servers.put("POP3", p);
            manageSieve = msb.bindAddress(o.get(BIND)).port(o.get(MANAGESIEVE_PORT)).users(users)
                    .scripts(sieveScripts).tls(tls).authFailurePenalty(penalty).build().start();
            WebServer.Builder wb = web(o, store, users, penalty, relay, trace, domains, tls)
                    .maxConnections(maxConnections, maxPerAddress);
            if (proxy != null) {
                wb.proxyProtocol(proxy);
            }
            web = wb.metrics(metrics::scrape)
                    .health(() -> ServerMetrics.problems(servers, tls.certificate(), o.get(DATA),
                            MailkitServerMain.MIN_FREE_SPACE))
                    .build().start();
            MailkitServerMain.Running running = new MailkitServerMain.Running(o, smtp, imap, pop3, store, tls, relay, web,
                    new MailkitServerMain.Parts(users, usersFile, agent, filters, sieveScripts, outbound, database));
            running.manageSieve = manageSieve;
            running.searchIndex = searchIndex;
            running.acme = acme;
            Banner.print(o, running, out);
            return running;
        } catch (RuntimeException e) {
            for (AutoCloseable c : new AutoCloseable[] {acme, web, manageSieve, smtp, pop3, relay, imap, searchIndex}) {
                try {
                    if (c != null) {
                        c.close();
                    }
                } catch (Exception ignored) {
                    // the first failure is the one reported
                }
            }
            if (relay == null && queueStorage != null) {
                queueStorage.close(); // a relay queue closes its storage; none was made
            }
            store.close();
            throw e;
        }
    }

    /** Prints one line per message delivered locally, then one per recipient with its outcome. */
    private static final class PrintingSink implements MessageSink {
        private final MessageSink next;
        private final PrintStream out;

        PrintingSink(MessageSink next, PrintStream out) {
            this.next = next;
            this.out = out;
        }

        @Override
        public DeliveryReport deliver(Envelope e, MessageSource m) throws IOException {
            DeliveryReport r = next.deliver(e, m);
            String subject = m.headers().getHeader("Subject", null);
            out.println("message " + e.transactionId() + " from " + e.reversePathString() + " to "
                    + e.recipients() + ", " + m.size() + " bytes"
                    + (subject == null ? "" : ", subject: " + subject)
                    + (r.isAllDelivered() ? "" : ", not delivered to " + r.failures().keySet()));
            // one line per recipient, as Postfix's log: the transaction id follows the message
            for (MailAddress rcpt : e.recipients()) {
                SmtpReply failure = r.failures().get(rcpt);
                out.println("message " + e.transactionId() + ": to=<" + rcpt + "> status="
                        + (failure == null ? "stored" : "failed (" + failure + ")"));
            }
            return r;
        }

        @Override
        public Optional<SmtpReply> checkRecipient(Envelope transaction, MailAddress recipient) {
            return next.checkRecipient(transaction, recipient);
        }
    }

    /**
     * The web inbox and API: plain HTTP on a loopback address (HTTPS with the mail certificate on any other), logins
     * of the users (or none with --http-open), sending through the relay queue, the trace, the queue view.
     */
    private static WebServer.Builder web(ServerOptions o, MailStore store, UserDirectory users, AuthFailurePenalty penalty,
                                 RelayQueue relay, TraceRecorder trace, List<String> domains, TlsConfig tls) {
        WebServer.Builder b = WebServer.builder().store(store).bindAddress(o.get(BIND)).port(o.get(HTTP_PORT))
                .authFailurePenalty(penalty).submission(MailSender.queue(relay)).relayQueue(relay).trace(trace)
                .hostNames(domains.toArray(new String[0]));
        if (!o.get(BIND).isLoopbackAddress()) {
            b.tls(tls);
        }
        if (o.get(HTTP_OPEN)) {
            List<String> shown = new ArrayList<>();
            o.get(USERS).forEach(e -> shown.add(e.getKey()));
            if (o.get(USERS_FILE) != null) {
                usersFile(o).users().forEach(u -> shown.add(u.address().toString()));
            }
            o.get(CATCH_ALL).stream().map(Map.Entry::getValue).filter(a -> !shown.contains(a)).forEach(shown::add);
            b.openAccess(shown.toArray(new String[0]));
        } else {
            b.users(users);
        }
        return b;
    }

    /**
     * The relay queue in DATA/.relay-queue, or in the database ({@code storage}, with --store postgres): MX delivery
     * or the smart host, DKIM, bounces to local senders delivered.
     */
    private static RelayQueue relay(ServerOptions o, QueueStorage storage, List<String> domains, MessageSink local,
                                    TraceRecorder trace, ServerMetrics metrics, PrintStream out) {
        RelayQueue.Builder b = (storage != null ? RelayQueue.builder(storage)
                : RelayQueue.builder(o.get(DATA).resolve(".relay-queue")))
                .localDelivery(local, domains.toArray(new String[0]))
                .onEvent(e -> {
                    trace.relayEvent(e);
                    metrics.relayEvent(e);
                    out.println("relay " + e); // QUEUED names the SMTP transaction: a message can be followed
                });
        if (o.get(RELAY_HOST) != null) {
            SmartHost.Builder sh = SmartHost.parse(o.get(RELAY_HOST))
                    .tls(o.get(RELAY_TLS).equals("required") ? RelayTls.REQUIRED : RelayTls.OPPORTUNISTIC);
            if (o.get(RELAY_USER) != null) {
                sh.auth(o.get(RELAY_USER), o.get(RELAY_PASSWORD));
            }
            b.smartHost(sh.build());
        }
        if (o.get(DKIM_DOMAIN) != null) {
            b.signers(signer(o));
        }
        b.mtaSts(o.get(RELAY_MTA_STS));
        if (o.get(RELAY_DANE) != null) {
            b.dane(true).resolver(DnsJavaResolver.validating(Duration.ofSeconds(10),
                    Parsers.resolverAddress(o.get(RELAY_DANE))));
        }
        return b.build().start();
    }

    /** The scanners and milters of the options, in the order Rspamd, spamd, clamd, milters. */
    private static ScanFilter scanFilter(ServerOptions o, String hostName) {
        ScanFilter.Builder b = ScanFilter.builder().hostName(hostName).scanOutbound(o.get(SCAN_OUTBOUND))
                .onFailure(o.get(SCAN_FAILURE).equals("accept") ? FailurePolicy.ACCEPT : FailurePolicy.TEMPFAIL)
                .quarantine(FileQuarantine.open(o.get(DATA).resolve(".quarantine")));
        if (o.get(RSPAMD) != null) {
            b.scanner(rspamd(o).build());
        }
        if (o.get(SPAMD) != null) {
            b.scanner(SpamdClient.builder(o.get(SPAMD)).build());
        }
        if (o.get(CLAMD) != null) {
            b.scanner(ClamdClient.builder(o.get(CLAMD)).build());
        }
        int n = 0;
        for (String m : o.get(MILTERS)) {
            b.milter(MilterClient.builder(m).name("milter" + (++n)).build());
        }
        return b.build();
    }

    private static RspamdClient.Builder rspamd(ServerOptions o) {
        RspamdClient.Builder r = RspamdClient.builder(o.get(RSPAMD));
        if (o.get(RSPAMD_CONTROLLER) != null) {
            r.controller(o.get(RSPAMD_CONTROLLER), o.get(RSPAMD_PASSWORD));
        }
        return r;
    }

    /** Learning from IMAP moves: Rspamd through its controller, spamd with TELL. */
    private static Optional<ScannerLearning> learning(ServerOptions o) {
        if (o.get(RSPAMD_CONTROLLER) == null && o.get(SPAMD) == null) {
            return Optional.empty();
        }
        ScannerLearning.Builder b = ScannerLearning.builder();
        if (o.get(RSPAMD_CONTROLLER) != null) {
            b.rspamd(rspamd(o).build());
        }
        if (o.get(SPAMD) != null) {
            b.spamd(SpamdClient.builder(o.get(SPAMD)).build());
        }
        return Optional.of(b.build());
    }

    static DkimSigner signer(ServerOptions o) {
        return DkimSigner.fromPem(o.get(DKIM_DOMAIN), o.get(DKIM_SELECTOR), o.get(DKIM_KEY));
    }
}
