package dev.mailkit.examples;

import dev.mailkit.examples.config.ConfigException;
import dev.mailkit.examples.config.ConfigFile;
import dev.mailkit.examples.config.Flags;
import dev.mailkit.examples.config.Setting;
import dev.mailkit.examples.config.Setting.Reload;
import dev.mailkit.examples.config.Values;
import dev.mailkit.examples.config.Written;
import dev.mailkit.relay.SmartHost;
import dev.mailkit.scan.ClamdClient;
import dev.mailkit.scan.MilterClient;
import dev.mailkit.scan.RspamdClient;
import dev.mailkit.scan.SpamdClient;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.mailkit.examples.config.Setting.list;
import static dev.mailkit.examples.config.Setting.pairs;
import static dev.mailkit.examples.config.Setting.toggle;
import static dev.mailkit.examples.config.Setting.value;

/**
 * The settings of {@code mailkit serve} (the runnable server), from its configuration file ({@code --config FILE}, YAML)
 * and its command line; a flag replaces what the file says. Every setting is declared once below, as a {@link Setting}:
 * its flag, its key in the file, its parser, default and help, and whether a reload applies it. Immutable.
 *
 * <p>To add a setting: declare it below (e.g. {@code static final Setting<Integer> MAX_CONNECTIONS = value(
 * "--max-connections", "limits.connections", "N", 1000, Reload.RESTART, Parsers::positive, "...")}), add it to
 * {@link #SETTINGS}, check any combination in {@link #check}, and read it where the server is put together with
 * {@code options.get(MAX_CONNECTIONS)}. The flag, the file key, the help, errors naming file and line, and the reload
 * report follow from the declaration.
 */
public final class ServerOptions {
    public static final Setting<InetAddress> BIND = value("--bind", "bind", "ADDR", InetAddress.getLoopbackAddress(),
            Reload.RESTART, ServerOptions::address, "address to listen on (default 127.0.0.1)");
    public static final Setting<Integer> SMTP_PORT = value("--smtp-port", "smtp.port", "N", 2525, Reload.RESTART,
            Parsers::port, "SMTP MX port (default 2525; 0 picks a free port)");
    public static final Setting<Integer> SUBMISSION_PORT = value("--submission-port", "smtp.submission-port", "N", 2587,
            Reload.RESTART, Parsers::port, "SMTP submission port: AUTH required, STARTTLS before AUTH (default 2587)");
    public static final Setting<Integer> SMTPS_PORT = value("--smtps-port", "smtp.smtps-port", "N", 2465,
            Reload.RESTART, Parsers::port, "SMTP submission with implicit TLS (default 2465)");
    public static final Setting<Integer> IMAP_PORT = value("--imap-port", "imap.port", "N", 1143, Reload.RESTART,
            Parsers::port, "IMAP port, STARTTLS before login (default 1143)");
    public static final Setting<Integer> IMAPS_PORT = value("--imaps-port", "imap.imaps-port", "N", 1993,
            Reload.RESTART, Parsers::port, "IMAP with implicit TLS (default 1993)");
    public static final Setting<Integer> POP3_PORT = value("--pop3-port", "pop3.port", "N", 1110, Reload.RESTART,
            Parsers::port, "POP3 port: STLS, then USER/PASS or AUTH (default 1110)");
    public static final Setting<Integer> POP3S_PORT = value("--pop3s-port", "pop3.pop3s-port", "N", 1995,
            Reload.RESTART, Parsers::port, "POP3 with implicit TLS (default 1995)");
    public static final Setting<Integer> MANAGESIEVE_PORT = value("--managesieve-port", "managesieve.port", "N", 4190,
            Reload.RESTART, Parsers::port, "ManageSieve (RFC 5804) for users' Sieve scripts, STARTTLS before "
                    + "AUTHENTICATE (default 4190)");
    public static final Setting<Path> SEARCH_INDEX = value("--search-index", "imap.search-index", "DIR", null,
            Reload.RESTART, Path::of, "keep a full-text index of the mailboxes (Apache Lucene) in DIR, so that IMAP "
                    + "SEARCH BODY/TEXT answers from it instead of reading every message; rebuilt if lost (default: "
                    + "none)");
    public static final Setting<Integer> HTTP_PORT = value("--http-port", "web.port", "N", 8025, Reload.RESTART,
            Parsers::port, "the web inbox and Mailpit-compatible API (default 8025; 0 picks a free port); log in "
                    + "with a user's address and password");
    public static final Setting<Boolean> HTTP_OPEN = toggle("--http-open", "web.open", Reload.RESTART,
            "no login for the web inbox and API: every user's mail is shown to anyone who reaches the port (test "
                    + "inboxes only; needs a loopback --bind)");
    public static final Setting<List<String>> DOMAINS = list("--domain", "domains", "D", Reload.RESTART,
            Parsers::domain, "a local domain, repeatable (default: localhost)");
    public static final Setting<List<Map.Entry<String, String>>> USERS = pairs("--user", "users", "ADDR:PASSWORD", ':',
            Reload.APPLIED, Parsers::user, "a mailbox user with a password in plain text, repeatable (for trying "
                    + "mailkit; a server keeps hashed passwords in --users-file)");
    public static final Setting<Path> USERS_FILE = value("--users-file", "users-file", "FILE", null, Reload.APPLIED,
            Path::of, "the users in Dovecot's passwd-file format with hashed passwords (mailkit user add); changes "
                    + "take effect at once");
    public static final Setting<List<Map.Entry<String, List<String>>>> ALIASES = pairs("--alias", "aliases",
            "ADDR=TARGET,...", '=', Reload.APPLIED, Parsers::alias,
            "an alias delivered to the targets (users or aliases), repeatable");
    public static final Setting<List<Map.Entry<String, String>>> CATCH_ALL = pairs("--catch-all", "catch-all",
            "DOMAIN=ADDR", '=', Reload.APPLIED, Parsers::catchAll,
            "where mail for unknown addresses of DOMAIN goes, repeatable");
    public static final Setting<Path> DATA = value("--data", "data", "DIR", Path.of("mailkit-data"), Reload.RESTART,
            Path::of, "where mail (Maildirs DIR/<domain>/<user>/), the queue and the generated certificate are kept "
                    + "(default ./mailkit-data)");
    public static final Setting<String> STORE = value("--store", "store", "KIND", "maildir", Reload.RESTART,
            Parsers.oneOf("maildir", "memory", "postgres"), "the mailbox store: maildir (durable, the default), "
                    + "memory (keeps nothing) or postgres (mailboxes and users in the --db-url database, shared by any "
                    + "number of nodes; --user and --domain add to its tables)");
    public static final Setting<Path> TLS_CERT = value("--tls-cert", "tls.cert", "FILE", null, Reload.APPLIED,
            Path::of, "PEM certificate chain (default: a certificate generated at start); re-read on reload");
    public static final Setting<Path> TLS_KEY = value("--tls-key", "tls.key", "FILE", null, Reload.APPLIED, Path::of,
            "PEM private key for --tls-cert");
    public static final Setting<String> RELAY_HOST = value("--relay-host", "relay.host", "HOST:PORT", null,
            Reload.RESTART, Parsers::smartHost, "send outgoing mail through this smart host (default: to the MX hosts)");
    public static final Setting<String> RELAY_USER = value("--relay-user", "relay.user", "USER", null, Reload.RESTART,
            Parsers::text, "AUTH user name for --relay-host (with --relay-password)");
    public static final Setting<String> RELAY_PASSWORD = value("--relay-password", "relay.password", "PW", null,
            Reload.RESTART, Parsers::text, "AUTH password for --relay-host");
    public static final Setting<String> RELAY_TLS = value("--relay-tls", "relay.tls", "MODE", "opportunistic",
            Reload.RESTART, Parsers.oneOf("required", "opportunistic"),
            "required|opportunistic: TLS to --relay-host (default opportunistic)");
    public static final Setting<Boolean> RELAY_MTA_STS = toggle("--relay-mta-sts", "relay.mta-sts", Reload.RESTART,
            "apply recipient domains' MTA-STS policies (RFC 8461) to MX delivery: enforce mode delivers only to the "
                    + "MX hosts a policy names, over TLS with a valid certificate (policies kept in DATA/.relay-queue)");
    public static final Setting<String> RELAY_DANE = value("--relay-dane", "relay.dane-resolver", "HOST:PORT", null,
            Reload.RESTART, Parsers::resolver, "apply DANE (RFC 7672) to MX delivery, asking this validating "
                    + "resolver (e.g. a local Unbound at 127.0.0.1:53), whose AD bit is trusted, for all relay DNS");
    public static final Setting<List<String>> TRUSTED_NETWORKS = list("--trusted-network", "smtp.trusted-networks",
            "CIDR", Reload.RESTART, Parsers::network, "clients there may relay without AUTH, repeatable (default: none)");
    public static final Setting<String> DKIM_DOMAIN = value("--dkim-domain", "dkim.domain", "D", null, Reload.RESTART,
            Parsers::domain, "DKIM-sign outgoing mail from domain D (with --dkim-selector, --dkim-key)");
    public static final Setting<String> DKIM_SELECTOR = value("--dkim-selector", "dkim.selector", "S", null,
            Reload.RESTART, Parsers::domain, "the DKIM selector (TXT record at S._domainkey.D)");
    public static final Setting<Path> DKIM_KEY = value("--dkim-key", "dkim.key", "FILE", null, Reload.RESTART,
            Path::of, "PEM private key for DKIM, RSA or Ed25519 (mailkit dkim keygen writes one)");
    public static final Setting<List<String>> DNSBL = list("--dnsbl", "smtp.dnsbl", "ZONE", Reload.APPLIED,
            Parsers::dnsbl, "refuse mail from clients listed in this DNS blocklist (e.g. zen.spamhaus.org), "
                    + "repeatable; trusted networks and AUTH users exempt");
    public static final Setting<String> INBOUND_AUTH = value("--inbound-auth", "smtp.inbound-auth", "MODE", null,
            Reload.APPLIED, Parsers.oneOf("record", "enforce"), "record|enforce: check SPF, DKIM and DMARC of "
                    + "incoming mail and add Authentication-Results; enforce also refuses DMARC p=reject failures");
    public static final Setting<String> RSPAMD = value("--rspamd", "scan.rspamd", "URL", null, Reload.APPLIED,
            v -> Parsers.checked(v, () -> RspamdClient.builder(v)), "scan incoming mail with Rspamd's normal worker, "
                    + "e.g. http://127.0.0.1:11333");
    public static final Setting<String> RSPAMD_CONTROLLER = value("--rspamd-controller", "scan.rspamd-controller",
            "URL", null, Reload.RESTART, v -> Parsers.checked(v, () -> RspamdClient.builder(v)),
            "Rspamd's controller, for learning from IMAP moves into and out of Junk");
    public static final Setting<String> RSPAMD_PASSWORD = value("--rspamd-password", "scan.rspamd-password", "PW",
            null, Reload.RESTART, Parsers::text, "the controller's password");
    public static final Setting<String> SPAMD = value("--spamd", "scan.spamd", "HOST:PORT", null, Reload.APPLIED,
            v -> Parsers.checked(v, () -> SpamdClient.builder(v)), "scan with SpamAssassin's spamd (SPAMC/1.5), "
                    + "e.g. 127.0.0.1:783");
    public static final Setting<String> CLAMD = value("--clamd", "scan.clamd", "ADDR", null, Reload.APPLIED,
            v -> Parsers.checked(v, () -> ClamdClient.builder(v)), "scan for viruses with ClamAV's clamd at "
                    + "HOST:PORT or unix:PATH, e.g. unix:/run/clamav/clamd.ctl");
    public static final Setting<List<String>> MILTERS = list("--milter", "scan.milters", "ADDR", Reload.APPLIED,
            v -> Parsers.checked(v, () -> MilterClient.builder(v)), "a milter at HOST:PORT or unix:PATH (Rspamd's "
                    + "proxy, clamav-milter, OpenDKIM...), repeatable, applied in order");
    public static final Setting<Boolean> SCAN_OUTBOUND = toggle("--scan-outbound", "scan.outbound", Reload.APPLIED,
            "scan mail from authenticated users too (default: incoming only)");
    public static final Setting<String> SCAN_FAILURE = value("--scan-failure", "scan.failure", "MODE", "tempfail",
            Reload.APPLIED, Parsers.oneOf("tempfail", "accept"), "tempfail|accept: when a scanner is down, 451 4.7.1 "
                    + "(default) or accept with X-Scan-Results saying the message was not scanned");
    public static final Setting<Integer> MAX_CONNECTIONS = value("--max-connections", "limits.max-connections", "N",
            1000, Reload.RESTART, Parsers::positive, "the most connections each server (SMTP, IMAP, POP3, HTTP, "
                    + "ManageSieve) takes at once, all its ports together (default 1000); more are refused at once");
    public static final Setting<Integer> MAX_CONNECTIONS_PER_ADDRESS = value("--max-connections-per-address",
            "limits.max-connections-per-address", "N", 100, Reload.RESTART, Parsers::positive,
            "the most from one client address per server (default 100)");
    public static final Setting<String> DB_URL = value("--db-url", "cluster.db-url", "JDBC_URL", null, Reload.RESTART,
            Parsers::jdbcUrl, "the database of --store postgres, e.g. jdbc:postgresql://db.internal:5432/mail");
    public static final Setting<String> DB_USER = value("--db-user", "cluster.db-user", "USER", null, Reload.RESTART,
            Parsers::text, "the database user (or in the URL)");
    public static final Setting<String> DB_PASSWORD = value("--db-password", "cluster.db-password", "PW", null,
            Reload.RESTART, Parsers::text, "the database password (or in the URL)");
    public static final Setting<String> DB_SCHEMA = value("--db-schema", "cluster.db-schema", "NAME", null,
            Reload.RESTART, Parsers::schema, "the schema of mailkit's tables (default mailkit)");
    public static final Setting<String> NODE_NAME = value("--node-name", "cluster.node-name", "NAME", null,
            Reload.RESTART, Parsers::nodeName, "this node's name in logs and the database (default: host name and pid)");
    public static final Setting<Integer> QUEUE_LEASE = value("--queue-lease", "cluster.queue-lease", "SECONDS", 30,
            Reload.RESTART, Parsers::positive, "how long a node's hold on its relay queue messages lasts unrenewed: "
                    + "a dead node's messages are delivered by another after about this (default 30)");
    public static final Setting<List<String>> PROXY_PROTOCOL_FROM = list("--proxy-protocol-from",
            "cluster.proxy-protocol-from", "CIDR", Reload.RESTART, Parsers::proxyNetwork, "a load balancer that sends the "
                    + "PROXY protocol (v1 or v2) on every port, repeatable; only these may send it, and they must");

    /** Every setting, in the order of the help. Add a new one here. */
    public static final List<Setting<?>> SETTINGS = with(AcmeOptions.SETTINGS, BIND, SMTP_PORT, SUBMISSION_PORT,
            SMTPS_PORT, IMAP_PORT, IMAPS_PORT, SEARCH_INDEX, POP3_PORT, POP3S_PORT, MANAGESIEVE_PORT, HTTP_PORT,
            HTTP_OPEN, DOMAINS, USERS, USERS_FILE, ALIASES, CATCH_ALL, DATA, STORE, TLS_CERT, TLS_KEY, RELAY_HOST,
            RELAY_USER, RELAY_PASSWORD, RELAY_TLS, RELAY_MTA_STS, RELAY_DANE, TRUSTED_NETWORKS, DKIM_DOMAIN,
            DKIM_SELECTOR, DKIM_KEY, DNSBL, INBOUND_AUTH, RSPAMD, RSPAMD_CONTROLLER, RSPAMD_PASSWORD, SPAMD, CLAMD,
            MILTERS, SCAN_OUTBOUND, SCAN_FAILURE, MAX_CONNECTIONS, MAX_CONNECTIONS_PER_ADDRESS, DB_URL, DB_USER,
            DB_PASSWORD, DB_SCHEMA, NODE_NAME, QUEUE_LEASE, PROXY_PROTOCOL_FROM);

    /** The settings declared here, then the ones of the components that declare their own (ACME's tls.acme.*). */
    private static List<Setting<?>> with(List<Setting<?>> more, Setting<?>... settings) {
        List<Setting<?>> all = new java.util.ArrayList<>(List.of(settings));
        all.addAll(more);
        return List.copyOf(all);
    }

    /** The flag of the configuration file. */
    public static final String CONFIG_FLAG = "--config";

    /** A bad command line or configuration: the message is one line saying what is wrong, and where. */
    public static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        public UsageException(String message) {
            super(message);
        }
    }

    private final Values values;
    private final Path config;
    private final Map<Setting<?>, Written> flags;

    private ServerOptions(Values values, Path config, Map<Setting<?>, Written> flags) {
        this.values = values;
        this.config = config;
        this.flags = Map.copyOf(flags);
    }

    /** The value of a setting. */
    public <T> T get(Setting<T> s) {
        return values.get(s);
    }

    /** All the values, with where each was written. */
    public Values values() {
        return values;
    }

    /** The configuration file, if one was given. */
    public java.util.Optional<Path> config() {
        return java.util.Optional.ofNullable(config);
    }

    /**
     * Reads the configuration file again (for a reload), with the same command-line flags on top.
     *
     * @throws UsageException for a bad file, naming file, line and key
     */
    public ServerOptions reread() throws UsageException {
        return resolve(config, flags);
    }

    /** The {@code serve} command's specification: {@code --config} and an option per setting. */
    public static CommandSpec commandSpec(Object userObject) {
        CommandSpec spec = CommandSpec.wrapWithoutInspection(userObject);
        spec.addOption(OptionSpec.builder(CONFIG_FLAG).paramLabel("FILE").type(Path.class)
                .description("the configuration file (YAML); flags given as well replace what it says").build());
        Flags.addTo(spec, SETTINGS);
        return spec;
    }

    /**
     * Parses the arguments of {@code mailkit serve} (today's flags, and {@code --config FILE}).
     *
     * @throws UsageException with a one-line message for anything wrong, naming the flag or the file, line and key
     */
    public static ServerOptions parse(String... args) throws UsageException {
        CommandLine cl = new CommandLine(commandSpec(new Object()));
        CommandLine.ParseResult pr;
        try {
            pr = cl.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            throw new UsageException(e.getMessage());
        }
        return fromParsed(pr);
    }

    /** The options from a parsed {@code serve} command line. */
    public static ServerOptions fromParsed(CommandLine.ParseResult pr) throws UsageException {
        Path config = pr.matchedOptionValue(CONFIG_FLAG, null);
        return resolve(config, Flags.written(pr, SETTINGS));
    }

    private static ServerOptions resolve(Path config, Map<Setting<?>, Written> flags) throws UsageException {
        try {
            Map<Setting<?>, Written> file = config == null ? Map.of() : ConfigFile.read(config, SETTINGS);
            ServerOptions o = new ServerOptions(Values.resolve(SETTINGS, file, flags), config, flags);
            o.check();
            return o;
        } catch (ConfigException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** The checks of combinations of settings; messages name the settings where they were written. */
    private void check() throws ConfigException {
        together(TLS_CERT, TLS_KEY);
        AcmeOptions.check(this);
        together(RELAY_USER, RELAY_PASSWORD);
        for (Setting<?> s : List.of(RELAY_USER, RELAY_TLS)) {
            if (values.isSet(s) && get(RELAY_HOST) == null) {
                throw new ConfigException(values.name(s) + ": applies to a smart host: add " + RELAY_HOST.flag()
                        + " HOST:PORT (" + RELAY_HOST.key() + ")");
            }
        }
        for (Setting<?> s : List.of(RELAY_MTA_STS, RELAY_DANE)) {
            if (values.isSet(s) && get(RELAY_HOST) != null) {
                throw new ConfigException(values.name(s) + ": applies to MX delivery, not to a smart host: remove "
                        + RELAY_HOST.flag() + " (" + RELAY_HOST.key() + ") or this setting");
            }
        }
        if (get(RELAY_USER) != null) {
            try {
                SmartHost.parse(get(RELAY_HOST)).auth(get(RELAY_USER), get(RELAY_PASSWORD)).build();
            } catch (IllegalArgumentException e) {
                throw new ConfigException(values.name(RELAY_USER) + ": " + e.getMessage());
            }
        }
        int dkim = (get(DKIM_DOMAIN) != null ? 1 : 0) + (get(DKIM_SELECTOR) != null ? 1 : 0)
                + (get(DKIM_KEY) != null ? 1 : 0);
        if (dkim != 0 && dkim != 3) {
            throw new ConfigException(names(DKIM_DOMAIN, DKIM_SELECTOR, DKIM_KEY) + " go together");
        }
        if (get(HTTP_OPEN) && !get(BIND).isLoopbackAddress()) {
            throw new ConfigException(values.name(HTTP_OPEN) + ": shows everyone's mail without a login: only with "
                    + BIND.flag() + " on a loopback address (127.0.0.1, ::1)");
        }
        if (get(HTTP_OPEN) && get(USERS).isEmpty() && get(CATCH_ALL).isEmpty() && get(USERS_FILE) == null) {
            throw new ConfigException(values.name(HTTP_OPEN) + ": shows the mail of the users and catch-all "
                    + "addresses: add --user, --users-file or --catch-all");
        }
        if (get(RSPAMD_CONTROLLER) == null && get(RSPAMD_PASSWORD) != null) {
            throw new ConfigException(values.name(RSPAMD_PASSWORD) + ": goes with " + RSPAMD_CONTROLLER.flag() + " URL");
        }
        if (get(RSPAMD_CONTROLLER) != null && get(RSPAMD) == null) {
            throw new ConfigException(values.name(RSPAMD_CONTROLLER) + ": needs " + RSPAMD.flag()
                    + " URL (the worker that scans)");
        }
        if (get(MAX_CONNECTIONS_PER_ADDRESS) > get(MAX_CONNECTIONS)) {
            throw new ConfigException(values.name(MAX_CONNECTIONS_PER_ADDRESS) + " (" + get(MAX_CONNECTIONS_PER_ADDRESS)
                    + ") cannot exceed " + values.name(MAX_CONNECTIONS) + " (" + get(MAX_CONNECTIONS) + ")");
        }
        boolean postgres = get(STORE).equals("postgres");
        if (postgres != (get(DB_URL) != null)) {
            throw new ConfigException(postgres ? values.name(STORE) + " postgres: needs " + names(DB_URL) + " JDBC_URL"
                    : values.name(DB_URL) + ": goes with " + STORE.flag() + " postgres");
        }
        for (Setting<?> s : List.of(DB_USER, DB_PASSWORD, DB_SCHEMA, NODE_NAME, QUEUE_LEASE)) {
            if (values.isSet(s) && !postgres) {
                throw new ConfigException(values.name(s) + ": goes with " + STORE.flag() + " postgres");
            }
        }
        if ((get(SCAN_OUTBOUND) || !get(SCAN_FAILURE).equals("tempfail")) && !scanning()) {
            throw new ConfigException(values.name(get(SCAN_OUTBOUND) ? SCAN_OUTBOUND : SCAN_FAILURE)
                    + ": needs a scanner: add --rspamd, --spamd, --clamd or --milter");
        }
    }

    private void together(Setting<?> a, Setting<?> b) throws ConfigException {
        if ((get(a) == null) != (get(b) == null)) {
            throw new ConfigException(names(a, b) + " go together");
        }
    }

    private String names(Setting<?>... settings) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < settings.length; i++) {
            sb.append(i == 0 ? "" : i == settings.length - 1 ? " and " : ", ");
            Setting<?> s = settings[i];
            sb.append(config == null || flags.containsKey(s) ? s.flag() : s.key());
        }
        return sb.toString();
    }

    /** Whether any scanner or milter is configured. */
    boolean scanning() {
        return get(RSPAMD) != null || get(SPAMD) != null || get(CLAMD) != null || !get(MILTERS).isEmpty();
    }

    /** The options for several nodes on one database (--store postgres, --proxy-protocol-from). */
    ClusterOptions cluster() {
        return new ClusterOptions(get(DB_URL), get(DB_USER), get(DB_PASSWORD), get(DB_SCHEMA), get(NODE_NAME),
                get(QUEUE_LEASE), get(PROXY_PROTOCOL_FROM));
    }

    /** The local domains, localhost when none is given. */
    List<String> domains() {
        return get(DOMAINS).isEmpty() ? List.of("localhost") : get(DOMAINS);
    }

    private static InetAddress address(String value) {
        try {
            return InetAddress.getByName(value);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("cannot resolve '" + value + "'");
        }
    }

    static {
        // every declared setting is in SETTINGS once (a forgotten one would be neither a flag nor a key)
        if (SETTINGS.stream().map(Setting::flag).distinct().count() != SETTINGS.size()) {
            throw new IllegalStateException("a setting is listed twice");
        }
    }
}
