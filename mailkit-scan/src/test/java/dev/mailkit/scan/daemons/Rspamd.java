package dev.mailkit.scan.daemons;

import dev.mailkit.scan.MilterClient;
import dev.mailkit.scan.RspamdClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Rspamd with a minimal local configuration (no network: DNS goes nowhere, the network modules are off, Bayes in
 * a {@link Redis} of its own, as Rspamd recommends: with its SQLite backend a scanning worker now and then kept the
 * controller's learns failing with "database is locked" for many seconds): the normal worker ({@code /checkv2}) and the controller ({@code /learnspam}) on loopback
 * ports, the proxy worker in milter mode on a Unix socket. Actions: add header from 4, rewrite subject from 7, reject
 * from 15 (GTUBE is always rejected). Test rules: {@code MK_TAGME} (5 points for "tag-me" in the subject),
 * {@code MK_REWRITEME} (8 points for "rewrite-me"), and {@code MK_USER}, {@code MK_HELO}, {@code MK_FROM},
 * {@code MK_RCPT2}, {@code MK_QUEUEID}, {@code MK_IP} (0 points, present when the client told Rspamd the
 * authenticated user, HELO, envelope sender, two envelope recipients, queue id, client address). milter_headers adds
 * X-Spamd-Bar, X-Spam-Level and Authentication-Results.
 */
public final class Rspamd extends Daemon {
    /** The controller's password. */
    public static final String PASSWORD = "mailkit-test";
    private static final List<String> OFF = List.of("rbl", "hfilter", "fuzzy_check", "neural", "ratelimit", "greylist",
            "replies", "url_redirector", "reputation", "asn", "emails", "phishing", "dmarc", "spf", "dkim", "arc",
            "surbl", "mx_check", "dcc", "elastic", "clickhouse", "history_redis", "metric_exporter",
            "metadata_exporter", "p0f", "external_services", "antivirus", "bimi", "aws_s3", "spamtrap", "trie",
            "rspamd_update", "whitelist", "maillist", "dkim_signing");

    private final int port;
    private final int controllerPort;
    private final Path proxy;
    private final Redis redis;

    Rspamd() {
        super("rspamd");
        Path rspamd = program("rspamd");
        port = freePort();
        controllerPort = freePort();
        proxy = dir.resolve("proxy.sock");
        redis = new Redis();
        try {
            configureAndStart(rspamd);
        } catch (RuntimeException | Error e) {
            redis.close();
            throw e;
        }
    }

    private void configureAndStart(Path rspamd) {
        try {
            Path local = Files.createDirectories(dir.resolve("local.d"));
            Path db = Files.createDirectories(dir.resolve("db"));
            for (String m : OFF) {
                Files.writeString(local.resolve(m + ".conf"), "enabled = false;\n");
            }
            Files.writeString(local.resolve("actions.conf"),
                    "reject = 15;\nrewrite_subject = 7;\nadd_header = 4;\ngreylist = null;\n");
            Files.writeString(local.resolve("milter_headers.conf"), "use = [\"x-spamd-bar\", \"x-spam-level\", "
                    + "\"authentication-results\"];\nskip_local = false;\nskip_authenticated = false;\n");
            Files.writeString(db.resolve("tld.dat"), "test\ncom\norg\nnet\nexample\n");
            Files.writeString(dir.resolve("rspamd.local.lua"), LUA);
            Files.writeString(dir.resolve("rspamd.conf"), String.join("\n",
                    "lua = \"$RULESDIR/rspamd.lua\"",
                    ".include \"$CONFDIR/metrics.conf\"",
                    ".include \"$CONFDIR/actions.conf\"",
                    ".include \"$CONFDIR/groups.conf\"",
                    ".include \"$CONFDIR/composites.conf\"",
                    "classifier \"bayes\" {",
                    "  backend = \"redis\"; servers = \"" + redis.address() + "\"; new_schema = true;",
                    "  tokenizer { name = \"osb\"; } min_learns = 1;",
                    "  cache { type = \"redis\"; servers = \"" + redis.address() + "\"; }",
                    "  statfile { symbol = \"BAYES_HAM\"; spam = false; }",
                    "  statfile { symbol = \"BAYES_SPAM\"; spam = true; }",
                    "}",
                    ".include \"$CONFDIR/modules.conf\"",
                    "modules { path = \"${PLUGINSDIR}\"; }",
                    "options {",
                    "  pidfile = \"$RUNDIR/rspamd.pid\"; filters = \"chartable,regexp\";",
                    "  url_tld = \"$DBDIR/tld.dat\"; cache_file = \"$DBDIR/symbols.cache\";",
                    "  hs_cache_dir = \"$DBDIR/\"; control_socket = \"$DBDIR/rspamd.sock mode=0600\";",
                    "  local_addrs = []; tempdir = \"$DBDIR\";",
                    "  dns { nameserver = [\"127.0.0.1:1\"]; timeout = 0.2s; retransmits = 1; }",
                    "}",
                    "logging { type = \"file\"; filename = \"$LOGDIR/rspamd-own.log\"; level = \"warning\"; }",
                    "worker \"normal\" { bind_socket = \"127.0.0.1:" + port + "\"; count = 1; }",
                    "worker \"controller\" { bind_socket = \"127.0.0.1:" + controllerPort + "\"; count = 1;",
                    "  password = \"" + PASSWORD + "\"; enable_password = \"" + PASSWORD + "\";",
                    "  static_dir = \"${WWWDIR}\"; }",
                    "worker \"rspamd_proxy\" { bind_socket = \"" + proxy + " mode=0666\"; count = 1; milter = yes;",
                    "  timeout = 10s; upstream \"local\" { default = yes; self_scan = yes; } }",
                    ""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> cmd = new ArrayList<>(List.of(rspamd.toString(), "-f", "-i", "-c",
                dir.resolve("rspamd.conf").toString(), "--var=LOCAL_CONFDIR=" + dir, "--var=DBDIR=" + dir.resolve("db"),
                "--var=RUNDIR=" + dir, "--var=LOGDIR=" + dir));
        if (root()) {
            cmd.addAll(List.of("-u", "root", "-g", "root"));
        }
        RspamdClient probe = client().build();
        MilterClient milter = MilterClient.builder(milterAddress()).timeout(Duration.ofSeconds(2)).build();
        // a fresh statistics directory is created by several Rspamd processes at once, and now and then one of them
        // loses that race ("database is locked", "no such table: learns") and the worker never comes up: start again
        // on an empty directory then
        Path db = dir.resolve("db");
        start(cmd, Duration.ofSeconds(60), () -> probe.ping() != null && controllerUp() && milter.ping() != null, 3,
                () -> {
                    try (java.util.stream.Stream<Path> all = Files.walk(db)) {
                        all.sorted(java.util.Comparator.reverseOrder()).filter(f -> !f.equals(db))
                                .forEach(f -> f.toFile().delete());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
    }

    /** Stops Rspamd, then its Redis. */
    @Override
    public void close() {
        super.close();
        redis.close();
    }

    private boolean controllerUp() throws IOException {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", controllerPort)) {
            return s.isConnected();
        }
    }

    /** {@code http://127.0.0.1:PORT} of the normal worker. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** {@code http://127.0.0.1:PORT} of the controller. */
    public String controllerUrl() {
        return "http://127.0.0.1:" + controllerPort;
    }

    /** {@code unix:PATH} of the proxy worker in milter mode. */
    public String milterAddress() {
        return "unix:" + proxy;
    }

    /** A client builder for this Rspamd, with the controller set. */
    public RspamdClient.Builder client() {
        return RspamdClient.builder(url()).controller(controllerUrl(), PASSWORD).timeout(Duration.ofSeconds(10));
    }

    private static final String LUA = String.join("\n",
            "local function meta(name, check)",
            "  rspamd_config:register_symbol({name = name, score = 0.0, group = 'mailkit', callback = function(task)",
            "    return check(task) end})",
            "end",
            "meta('MK_USER', function(t) return t:get_user() ~= nil end)",
            "meta('MK_HELO', function(t) return t:get_helo() ~= nil end)",
            "meta('MK_FROM', function(t) local f = t:get_from('smtp'); return f ~= nil and f[1] ~= nil "
                    + "and f[1].addr ~= '' end)",
            "meta('MK_RCPT2', function(t) local r = t:get_recipients('smtp'); return r ~= nil and #r == 2 end)",
            "meta('MK_QUEUEID', function(t) return t:get_queue_id() ~= nil end)",
            "meta('MK_IP', function(t) local ip = t:get_from_ip(); return ip ~= nil and ip:is_valid() end)",
            "rspamd_config:register_symbol({name = 'MK_TAGME', score = 5.0, group = 'mailkit', callback = function(t)",
            "  local s = t:get_subject(); return s ~= nil and s:find('tag-me', 1, true) ~= nil end})",
            "rspamd_config:register_symbol({name = 'MK_REWRITEME', score = 8.0, group = 'mailkit', "
                    + "callback = function(t)",
            "  local s = t:get_subject(); return s ~= nil and s:find('rewrite-me', 1, true) ~= nil end})",
            "");
}
