package dev.mailkit.examples;

import dev.mailkit.core.server.ConnectionLimiter;
import dev.mailkit.smtp.SmtpServer;
import dev.mailkit.mailauth.dnsbl.DnsBlocklistFilter;
import dev.mailkit.relay.SmartHost;
import dev.mailkit.scan.ClamdClient;
import dev.mailkit.scan.MilterClient;
import dev.mailkit.scan.RspamdClient;
import dev.mailkit.scan.SpamdClient;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The command-line options of the runnable server, parsed and validated. Immutable. {@link #parse} throws
 * {@link UsageException} with a one-line message for anything it does not understand.
 */
public final class ServerOptions {
    static final String USAGE = String.join("\n",
            "usage: java -jar mailkit-server.jar [options]",
            "  --bind ADDR              address to listen on (default 127.0.0.1)",
            "  --smtp-port N            SMTP MX port (default 2525; 0 picks a free port)",
            "  --submission-port N      SMTP submission port: AUTH required, STARTTLS before AUTH (default 2587)",
            "  --smtps-port N           SMTP submission with implicit TLS (default 2465)",
            "  --imap-port N            IMAP port, STARTTLS before login (default 1143)",
            "  --imaps-port N           IMAP with implicit TLS (default 1993)",
            "  --pop3-port N            POP3 port: STLS, then USER/PASS or AUTH (default 1110)",
            "  --pop3s-port N           POP3 with implicit TLS (default 1995)",
            "  --managesieve-port N     ManageSieve (RFC 5804) for users' Sieve scripts, STARTTLS before",
            "                           AUTHENTICATE (default 4190)",
            "  --http-port N            the web inbox and Mailpit-compatible API (default 8025; 0 picks a free",
            "                           port); log in with a --user's address and password",
            "  --http-open              no login for the web inbox and API: every --user's mail is shown to",
            "                           anyone who reaches the port (test inboxes only; needs a loopback --bind)",
            "  --domain D               a local domain, repeatable (default: localhost)",
            "  --user ADDR:PASSWORD     a mailbox user, repeatable, e.g. --user rcpt@local.test:secret",
            "  --alias ADDR=TARGET,...  an alias delivered to the targets (users or aliases), repeatable",
            "  --catch-all DOMAIN=ADDR  where mail for unknown addresses of DOMAIN goes, repeatable",
            "  --data DIR               where mail (Maildirs DIR/<domain>/<user>/) and the generated certificate",
            "                           are kept (default ./mailkit-data)",
            "  --store maildir|memory|postgres  the mailbox store (default maildir, durable; memory keeps nothing;",
            "                           postgres: see --db-url)",
            "  --tls-cert FILE          PEM certificate chain (default: a certificate generated at start)",
            "  --tls-key FILE           PEM private key for --tls-cert",
            "  --relay-host HOST:PORT   send outgoing mail through this smart host (default: to the MX hosts)",
            "  --relay-user USER        AUTH user name for --relay-host (with --relay-password)",
            "  --relay-password PW      AUTH password for --relay-host",
            "  --relay-tls MODE         required|opportunistic: TLS to --relay-host (default opportunistic)",
            "  --trusted-network CIDR   clients there may relay without AUTH, repeatable (default: none)",
            "  --dkim-domain D          DKIM-sign outgoing mail from domain D (with --dkim-selector, --dkim-key)",
            "  --dkim-selector S        the DKIM selector (TXT record at S._domainkey.D)",
            "  --dkim-key FILE          PEM private key for DKIM, RSA or Ed25519",
            "  --dnsbl ZONE             refuse mail from clients listed in this DNS blocklist (e.g.",
            "                           zen.spamhaus.org), repeatable; trusted networks and AUTH users exempt",
            "  --inbound-auth MODE      record|enforce: check SPF, DKIM and DMARC of incoming mail and add",
            "                           Authentication-Results; enforce also refuses DMARC p=reject failures",
            "  --rspamd URL             scan incoming mail with Rspamd's normal worker, e.g. http://127.0.0.1:11333",
            "  --rspamd-controller URL  Rspamd's controller, for learning from IMAP moves into and out of Junk",
            "  --rspamd-password PW     the controller's password",
            "  --spamd HOST:PORT        scan with SpamAssassin's spamd (SPAMC/1.5), e.g. 127.0.0.1:783",
            "  --clamd ADDR             scan for viruses with ClamAV's clamd at HOST:PORT or unix:PATH, e.g.",
            "                           unix:/run/clamav/clamd.ctl",
            "  --milter ADDR            a milter at HOST:PORT or unix:PATH (Rspamd's proxy, clamav-milter,",
            "                           OpenDKIM...), repeatable, applied in order",
            "  --scan-outbound          scan mail from authenticated users too (default: incoming only)",
            "  --scan-failure MODE      tempfail|accept: when a scanner is down, 451 4.7.1 (default) or accept",
            "                           with X-Scan-Results saying the message was not scanned",
            "  --max-connections N      the most connections each server (SMTP, IMAP, POP3, HTTP) takes at once,",
            "                           all its ports together (default 1000); more are refused at once",
            "  --max-connections-per-address N",
            "                           the most from one client address per server (default 100)",
            "  --help                   show this help") + "\n" + String.join("\n", ClusterOptions.HELP);

    /** A bad command line: the message is one line saying what is wrong. */
    public static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    final InetAddress bind;
    final int smtpPort;
    final int submissionPort;
    final int smtpsPort;
    final int imapPort;
    final int imapsPort;
    final int pop3Port;
    final int pop3sPort;
    final int managesievePort;
    final int httpPort;
    final boolean httpOpen;
    final List<String> domains;
    final Map<String, String> users;
    final Map<String, List<String>> aliases;
    final Map<String, String> catchAll;
    final Path data;
    final String store;
    final Path tlsCert;
    final Path tlsKey;
    final String relayHost;
    final String relayUser;
    final String relayPassword;
    final String relayTls;
    final List<String> trustedNetworks;
    final String dkimDomain;
    final String dkimSelector;
    final Path dkimKey;
    final List<String> dnsbl;
    final String inboundAuth;
    final Scanning scanning;
    final boolean help;
    final int maxConnections;
    final int maxConnectionsPerAddress;
    /** The options for several nodes (set by {@link #parse}). */
    ClusterOptions cluster = new ClusterOptions(null, null, null, null, null, List.of());

    /** The content-scanning options (all empty: no scanning). */
    record Scanning(String rspamd, String rspamdController, String rspamdPassword, String spamd, String clamd,
                    List<String> milters, boolean outbound, String failure) {
        Scanning {
            milters = List.copyOf(milters);
        }

        /** Whether any scanner or milter is configured. */
        boolean any() {
            return rspamd != null || spamd != null || clamd != null || !milters.isEmpty();
        }
    }

    private ServerOptions(InetAddress bind, int smtpPort, int submissionPort, int smtpsPort, int imapPort,
                          int imapsPort, int pop3Port, int pop3sPort, int managesievePort, int httpPort,
                          boolean httpOpen,
                          List<String> domains, Map<String, String> users,
                          Map<String, List<String>> aliases, Map<String, String> catchAll, Path data, String store,
                          Path tlsCert, Path tlsKey, String relayHost, String relayUser, String relayPassword,
                          String relayTls, List<String> trustedNetworks, String dkimDomain, String dkimSelector,
                          Path dkimKey, List<String> dnsbl, String inboundAuth, Scanning scanning, boolean help,
                          int maxConnections, int maxConnectionsPerAddress) {
        this.bind = bind;
        this.smtpPort = smtpPort;
        this.submissionPort = submissionPort;
        this.smtpsPort = smtpsPort;
        this.imapPort = imapPort;
        this.imapsPort = imapsPort;
        this.pop3Port = pop3Port;
        this.pop3sPort = pop3sPort;
        this.managesievePort = managesievePort;
        this.httpPort = httpPort;
        this.httpOpen = httpOpen;
        this.domains = List.copyOf(domains);
        this.users = Map.copyOf(users);
        this.aliases = Map.copyOf(aliases);
        this.catchAll = Map.copyOf(catchAll);
        this.data = data;
        this.store = store;
        this.tlsCert = tlsCert;
        this.tlsKey = tlsKey;
        this.relayHost = relayHost;
        this.relayUser = relayUser;
        this.relayPassword = relayPassword;
        this.relayTls = relayTls;
        this.trustedNetworks = List.copyOf(trustedNetworks);
        this.dkimDomain = dkimDomain;
        this.dkimSelector = dkimSelector;
        this.dkimKey = dkimKey;
        this.dnsbl = List.copyOf(dnsbl);
        this.inboundAuth = inboundAuth;
        this.scanning = scanning;
        this.help = help;
        this.maxConnections = maxConnections;
        this.maxConnectionsPerAddress = maxConnectionsPerAddress;
    }

    /** Parses the arguments. */
    public static ServerOptions parse(String... args) throws UsageException {
        List<String> rest = new ArrayList<>(List.of(args));
        ClusterOptions cluster = ClusterOptions.extract(rest);
        ServerOptions o = parseSingleNode(rest.toArray(new String[0]));
        if (o.store.equals("postgres") != (cluster.dbUrl() != null)) {
            throw new UsageException(cluster.dbUrl() == null ? "--store postgres needs --db-url JDBC_URL"
                    : "--db-url is for --store postgres");
        }
        o.cluster = cluster;
        return o;
    }

    /** Parses the options of one node (everything but {@link ClusterOptions}'). */
    private static ServerOptions parseSingleNode(String... args) throws UsageException {
        InetAddress bind = null;
        int smtp = 2525;
        int submission = 2587;
        int smtps = 2465;
        int imap = 1143;
        int imaps = 1993;
        int pop3 = 1110;
        int pop3s = 1995;
        int managesieve = 4190;
        int http = 8025;
        boolean httpOpen = false;
        List<String> domains = new ArrayList<>();
        Map<String, String> users = new LinkedHashMap<>();
        Map<String, List<String>> aliases = new LinkedHashMap<>();
        Map<String, String> catchAll = new LinkedHashMap<>();
        Path data = Path.of("mailkit-data");
        String store = "maildir";
        Path cert = null;
        Path key = null;
        String relayHost = null;
        String relayUser = null;
        String relayPassword = null;
        String relayTls = null;
        List<String> trusted = new ArrayList<>();
        String dkimDomain = null;
        String dkimSelector = null;
        Path dkimKey = null;
        List<String> dnsbl = new ArrayList<>();
        String inboundAuth = null;
        String rspamd = null;
        String rspamdController = null;
        String rspamdPassword = null;
        String spamd = null;
        String clamd = null;
        List<String> milters = new ArrayList<>();
        boolean scanOutbound = false;
        String scanFailure = "tempfail";
        boolean help = false;
        int maxConnections = ConnectionLimiter.DEFAULT_MAX_CONNECTIONS;
        int maxPerAddress = ConnectionLimiter.DEFAULT_MAX_CONNECTIONS_PER_ADDRESS;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String name = a;
            String value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                name = a.substring(0, eq);
                value = a.substring(eq + 1);
            }
            switch (name) {
                case "--help":
                case "-h":
                    help = true;
                    continue;
                case "--scan-outbound":
                    scanOutbound = true;
                    continue;
                case "--http-open":
                    httpOpen = true;
                    continue;
                case "--bind":
                case "--smtp-port":
                case "--submission-port":
                case "--smtps-port":
                case "--imap-port":
                case "--imaps-port":
                case "--pop3-port":
                case "--pop3s-port":
                case "--managesieve-port":
                case "--http-port":
                case "--domain":
                case "--user":
                case "--alias":
                case "--catch-all":
                case "--data":
                case "--store":
                case "--tls-cert":
                case "--tls-key":
                case "--relay-host":
                case "--relay-user":
                case "--relay-password":
                case "--relay-tls":
                case "--trusted-network":
                case "--dkim-domain":
                case "--dkim-selector":
                case "--dkim-key":
                case "--dnsbl":
                case "--inbound-auth":
                case "--rspamd":
                case "--rspamd-controller":
                case "--rspamd-password":
                case "--spamd":
                case "--clamd":
                case "--milter":
                case "--scan-failure":
                case "--max-connections":
                case "--max-connections-per-address":
                    break;
                default:
                    throw new UsageException("unknown option '" + a + "'");
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new UsageException(name + " needs a value");
                }
                value = args[++i];
            }
            final String val = value;
            switch (name) {
                case "--bind":
                    try {
                        bind = InetAddress.getByName(value);
                    } catch (UnknownHostException e) {
                        throw new UsageException("--bind: cannot resolve '" + value + "'");
                    }
                    break;
                case "--smtp-port":
                    smtp = port(name, value);
                    break;
                case "--submission-port":
                    submission = port(name, value);
                    break;
                case "--smtps-port":
                    smtps = port(name, value);
                    break;
                case "--imap-port":
                    imap = port(name, value);
                    break;
                case "--imaps-port":
                    imaps = port(name, value);
                    break;
                case "--pop3-port":
                    pop3 = port(name, value);
                    break;
                case "--pop3s-port":
                    pop3s = port(name, value);
                    break;
                case "--managesieve-port":
                    managesieve = port(name, value);
                    break;
                case "--http-port":
                    http = port(name, value);
                    break;
                case "--domain":
                    if (value.isEmpty() || value.contains("@") || value.contains(" ")) {
                        throw new UsageException("--domain: '" + value + "' is not a domain name");
                    }
                    domains.add(value);
                    break;
                case "--user":
                    int colon = value.indexOf(':');
                    if (colon <= 0 || colon == value.length() - 1) {
                        throw new UsageException("--user needs ADDR:PASSWORD, e.g. --user rcpt@local.test:secret");
                    }
                    String addr = value.substring(0, colon);
                    try {
                        dev.mailkit.core.MailAddress.parse(addr);
                    } catch (IllegalArgumentException e) {
                        throw new UsageException("--user: " + e.getMessage());
                    }
                    users.put(addr, value.substring(colon + 1));
                    break;
                case "--alias": {
                    int eq2 = value.indexOf('=');
                    if (eq2 <= 0 || eq2 == value.length() - 1) {
                        throw new UsageException("--alias needs ADDR=TARGET[,TARGET...], e.g. --alias team@local.test="
                                + "ann@local.test,bob@local.test");
                    }
                    List<String> targets = new ArrayList<>();
                    address("--alias", value.substring(0, eq2));
                    for (String t : value.substring(eq2 + 1).split(",")) {
                        targets.add(address("--alias", t.trim()));
                    }
                    aliases.computeIfAbsent(value.substring(0, eq2), k -> new ArrayList<>()).addAll(targets);
                    break;
                }
                case "--catch-all": {
                    int eq2 = value.indexOf('=');
                    if (eq2 <= 0 || eq2 == value.length() - 1 || value.substring(0, eq2).contains("@")) {
                        throw new UsageException("--catch-all needs DOMAIN=ADDR, e.g. --catch-all local.test="
                                + "postmaster@local.test");
                    }
                    catchAll.put(value.substring(0, eq2), address("--catch-all", value.substring(eq2 + 1)));
                    break;
                }
                case "--data":
                    data = Path.of(value);
                    break;
                case "--store":
                    if (!value.equals("memory") && !value.equals("maildir") && !value.equals("postgres")) {
                        throw new UsageException("--store must be memory, maildir or postgres, was '" + value + "'");
                    }
                    store = value;
                    break;
                case "--tls-cert":
                    cert = Path.of(value);
                    break;
                case "--tls-key":
                    key = Path.of(value);
                    break;
                case "--relay-host":
                    try {
                        SmartHost.parse(value).build();
                    } catch (IllegalArgumentException e) {
                        throw new UsageException("--relay-host needs HOST:PORT: " + e.getMessage());
                    }
                    relayHost = value;
                    break;
                case "--relay-user":
                    relayUser = value;
                    break;
                case "--relay-password":
                    relayPassword = value;
                    break;
                case "--relay-tls":
                    if (!value.equals("required") && !value.equals("opportunistic")) {
                        throw new UsageException("--relay-tls must be required or opportunistic, was '" + value + "'");
                    }
                    relayTls = value;
                    break;
                case "--trusted-network":
                    try {
                        SmtpServer.builder().trustedNetworks(value);
                    } catch (IllegalArgumentException e) {
                        throw new UsageException("--trusted-network: " + e.getMessage());
                    }
                    trusted.add(value);
                    break;
                case "--dkim-domain":
                    dkimDomain = value;
                    break;
                case "--dkim-selector":
                    dkimSelector = value;
                    break;
                case "--dkim-key":
                    dkimKey = Path.of(value);
                    break;
                case "--dnsbl":
                    try {
                        DnsBlocklistFilter.builder().zone(value);
                    } catch (IllegalArgumentException e) {
                        throw new UsageException("--dnsbl: " + e.getMessage());
                    }
                    dnsbl.add(value);
                    break;
                case "--inbound-auth":
                    if (!value.equals("record") && !value.equals("enforce")) {
                        throw new UsageException("--inbound-auth must be record or enforce, was '" + value + "'");
                    }
                    inboundAuth = value;
                    break;
                case "--rspamd":
                    rspamd = checked(name, value, () -> RspamdClient.builder(val));
                    break;
                case "--rspamd-controller":
                    rspamdController = checked(name, value, () -> RspamdClient.builder(val));
                    break;
                case "--rspamd-password":
                    rspamdPassword = value;
                    break;
                case "--spamd":
                    spamd = checked(name, value, () -> SpamdClient.builder(val));
                    break;
                case "--clamd":
                    clamd = checked(name, value, () -> ClamdClient.builder(val));
                    break;
                case "--milter":
                    milters.add(checked(name, value, () -> MilterClient.builder(val)));
                    break;
                case "--scan-failure":
                    if (!value.equals("tempfail") && !value.equals("accept")) {
                        throw new UsageException("--scan-failure must be tempfail or accept, was '" + value + "'");
                    }
                    scanFailure = value;
                    break;
                case "--max-connections":
                    maxConnections = positive(name, value);
                    break;
                case "--max-connections-per-address":
                    maxPerAddress = positive(name, value);
                    break;
                default:
                    throw new IllegalStateException(name);
            }
        }
        if ((cert == null) != (key == null)) {
            throw new UsageException("--tls-cert and --tls-key go together");
        }
        if ((relayUser == null) != (relayPassword == null)) {
            throw new UsageException("--relay-user and --relay-password go together");
        }
        if (relayHost == null && (relayUser != null || relayTls != null)) {
            throw new UsageException((relayUser != null ? "--relay-user" : "--relay-tls")
                    + " applies to a smart host: add --relay-host HOST:PORT");
        }
        if (relayUser != null) {
            try {
                SmartHost.parse(relayHost).auth(relayUser, relayPassword).build();
            } catch (IllegalArgumentException e) {
                throw new UsageException("--relay-user: " + e.getMessage());
            }
        }
        int dkimParts = (dkimDomain != null ? 1 : 0) + (dkimSelector != null ? 1 : 0) + (dkimKey != null ? 1 : 0);
        if (dkimParts != 0 && dkimParts != 3) {
            throw new UsageException("--dkim-domain, --dkim-selector and --dkim-key go together");
        }
        if (bind == null) {
            bind = InetAddress.getLoopbackAddress();
        }
        if (httpOpen && !bind.isLoopbackAddress()) {
            throw new UsageException("--http-open shows everyone's mail without a login: only with --bind on a "
                    + "loopback address (127.0.0.1, ::1)");
        }
        if (httpOpen && users.isEmpty() && catchAll.isEmpty()) {
            throw new UsageException("--http-open shows the mail of the --user and --catch-all addresses: add one");
        }
        if (rspamdController == null && rspamdPassword != null) {
            throw new UsageException("--rspamd-password goes with --rspamd-controller URL");
        }
        if (rspamdController != null && rspamd == null) {
            throw new UsageException("--rspamd-controller needs --rspamd URL (the worker that scans)");
        }
        if (maxPerAddress > maxConnections) {
            throw new UsageException("--max-connections-per-address (" + maxPerAddress + ") cannot exceed "
                    + "--max-connections (" + maxConnections + ")");
        }
        Scanning scanning = new Scanning(rspamd, rspamdController, rspamdPassword, spamd, clamd, milters,
                scanOutbound, scanFailure);
        if ((scanOutbound || !scanFailure.equals("tempfail")) && !scanning.any()) {
            throw new UsageException((scanOutbound ? "--scan-outbound" : "--scan-failure")
                    + " needs a scanner: add --rspamd, --spamd, --clamd or --milter");
        }
        return new ServerOptions(bind, smtp, submission, smtps, imap, imaps, pop3, pop3s, managesieve, http, httpOpen,
                domains,
                users, aliases, catchAll, data, store, cert, key, relayHost, relayUser, relayPassword,
                relayTls == null ? "opportunistic" : relayTls, trusted, dkimDomain, dkimSelector, dkimKey, dnsbl,
                inboundAuth, scanning, help, maxConnections, maxPerAddress);
    }

    /** An address a scanner's builder accepts, or the builder's message as a usage error. */
    private static String checked(String option, String value, Runnable parse) throws UsageException {
        try {
            parse.run();
            return value;
        } catch (IllegalArgumentException e) {
            throw new UsageException(option + ": " + e.getMessage());
        }
    }

    private static String address(String option, String value) throws UsageException {
        try {
            dev.mailkit.core.MailAddress.parse(value);
            return value;
        } catch (IllegalArgumentException e) {
            throw new UsageException(option + ": " + e.getMessage());
        }
    }

    private static int positive(String name, String value) throws UsageException {
        try {
            int n = Integer.parseInt(value);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new UsageException(name + " must be a whole number of at least 1, was '" + value + "'");
    }

    private static int port(String name, String value) throws UsageException {
        try {
            int p = Integer.parseInt(value);
            if (p >= 0 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new UsageException(name + " must be a port number 0..65535, was '" + value + "'");
    }
}
