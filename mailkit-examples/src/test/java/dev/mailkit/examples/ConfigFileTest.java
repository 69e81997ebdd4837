package dev.mailkit.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.mailkit.examples.ServerOptions.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The configuration file: what it says, flags over it, and errors that name file, line, key and what is allowed. */
class ConfigFileTest {
    @TempDir
    Path dir;

    private Path write(String yaml) throws Exception {
        return Files.writeString(dir.resolve("mailkit.yaml"), yaml);
    }

    @Test
    void theReadmeExampleSaysWhatItsFlagsWouldSay() throws Exception {
        Path example = Path.of("..", "docs", "mailkit.yaml");
        ServerOptions o = ServerOptions.parse("--config", example.toString());
        assertThat(o.get(BIND).isAnyLocalAddress()).isTrue();
        assertThat(o.get(DOMAINS)).containsExactly("example.org");
        assertThat(o.get(SMTP_PORT)).isEqualTo(25);
        assertThat(o.get(SUBMISSION_PORT)).isEqualTo(587);
        assertThat(o.get(IMAPS_PORT)).isEqualTo(993);
        assertThat(o.get(USERS_FILE)).isEqualTo(Path.of("/etc/mailkit/users"));
        assertThat(o.get(ALIASES)).contains(Map.entry("team@example.org", List.of("ann@example.org", "bob@example.org")));
        assertThat(o.get(CATCH_ALL)).containsExactly(Map.entry("example.org", "ann@example.org"));
        assertThat(o.get(DNSBL)).containsExactly("zen.spamhaus.org");
        assertThat(o.get(DKIM_SELECTOR)).isEqualTo("mk1");
        assertThat(o.get(SPAMD)).isEqualTo("127.0.0.1:783");
        assertThat(o.get(HTTP_OPEN)).isFalse();
        assertThat(o.get(RELAY_MTA_STS)).isTrue();
        assertThat(o.get(RELAY_DANE)).isNull();
        assertThat(Files.readString(Path.of("..", "README.md"))).as("README shows the example file as it is")
                .contains(Files.readString(example));
    }

    @Test
    void flagsReplaceWhatTheFileSays() throws Exception {
        Path f = write("smtp:\n  port: 25\ndomains: [a.test, b.test]\n");
        ServerOptions o = ServerOptions.parse("--config", f.toString(), "--smtp-port", "0", "--domain", "c.test");
        assertThat(o.get(SMTP_PORT)).isZero();
        assertThat(o.get(DOMAINS)).containsExactly("c.test");
        assertThat(ServerOptions.parse("--config=" + f).get(DOMAINS)).containsExactly("a.test", "b.test");
        assertThat(ServerOptions.parse("--config", write("").toString()).get(SMTP_PORT)).isEqualTo(2525);
        assertThat(ServerOptions.parse("--config", write("# only a comment\n").toString()).get(SMTP_PORT))
                .isEqualTo(2525);
    }

    @Test
    void errorsNameFileLineKeyAndWhatIsAllowed() throws Exception {
        String f = dir.resolve("mailkit.yaml").toString();
        String[][] cases = {
            {"domains: [a.test]\nsmtp:\n  port: 99999\n", f + ":3: smtp.port: must be a port number 0..65535, was '99999'"},
            {"smtp:\n  prot: 25\n", f + ":2: unknown key 'smtp.prot'; allowed under smtp are dnsbl, inbound-auth, port, "
                    + "smtps-port, submission-port, trusted-networks"},
            {"frobnicate: 1\n", f + ":1: unknown key 'frobnicate'; allowed are aliases, bind, catch-all, cluster, "
                    + "data, dkim, domains, imap, limits, managesieve, pop3, relay, scan, smtp, store, tls, users, users-file, web"},
            {"smtp: 25\n", f + ":1: smtp is a section: keys under it are dnsbl, inbound-auth, port, smtps-port, "
                    + "submission-port, trusted-networks"},
            {"store: mbox\n", f + ":1: store: must be maildir or memory or postgres, was 'mbox'"},
            {"store: postgres\n", f + ":1: store postgres: needs cluster.db-url JDBC_URL"},
            {"tls:\n  cert: c.pem\n", "tls.cert and tls.key go together"},
            {"relay:\n  user: me\n  password: pw\n", f + ":2: relay.user: applies to a smart host: add --relay-host "
                    + "HOST:PORT (relay.host)"},
            {"domains: {a: b}\n", f + ":1: domains is a list, e.g. domains: [D, ...]"},
            {"aliases: [a@b.test]\n", f + ":1: aliases is a mapping, e.g. aliases: {ADDR: TARGET,...}"},
            {"aliases:\n  team@a.test: [not an address]\n", f + ":2: aliases: Invalid mailbox"},
            {"smtp:\n  port: [25, 26]\n", f + ":2: smtp.port takes one value (N)"},
            {"web:\n  open: yes\n", f + ":2: web.open: must be true or false, was 'yes'"},
            {"smtp:\n  port: 25\n  port: 26\n", f + ":3: smtp.port is given twice"},
            {"domains: [a.test\n", f + ":2: not valid YAML"},
            {"- a\n- b\n", f + ":1: the file must be a mapping of keys"}};
        for (String[] c : cases) {
            assertThatThrownBy(() -> ServerOptions.parse("--config", write(c[0]).toString())).as(c[0])
                    .isInstanceOf(ServerOptions.UsageException.class).hasMessageStartingWith(c[1])
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        }
        assertThatThrownBy(() -> ServerOptions.parse("--config", dir.resolve("missing.yaml").toString()))
                .hasMessage(dir.resolve("missing.yaml") + ": no such file");
    }

    @Test
    void hostileFilesAreRefusedWithoutHarm() throws Exception {
        String f = dir.resolve("mailkit.yaml").toString();
        String[][] cases = {
            // a tag that would construct a class in a careless YAML loader
            {"bind: !!java.lang.ProcessBuilder [touch, " + dir.resolve("pwned") + "]\n", f + ":1: bind"},
            {"domains: !<tag:yaml.org,2002:java.net.URL> [http://x]\n", f + ":1: domains"},
            {"data: !!binary aGVsbG8=\n", f + ":1: data: tags such as 'tag:yaml.org,2002:binary' are not allowed"},
            // a value with a line break meant for a header or an SMTP reply
            {"domains: [\"a.test\\r\\nRCPT TO:<x@evil.test>\"]\n", f + ":1: domains: control character (code 13)"},
            {"users:\n  a@a.test: \"pw\\u0000\"\n", f + ":2: users.a@a.test: control character (code 0)"},
            {"domains: [" + "a".repeat(10_000) + "]\n", f + ":1: domains: a value longer than 4096 characters"},
            // the billion laughs: anchors and aliases of collections
            {"a: &a [x, x, x]\nb: &b [*a, *a, *a]\ndomains: [*b, *b]\n", f + ": not valid YAML: Number of aliases"},
            {"${HOME}: x\n", f + ":1: <key>: tags such as '!ENV_VARIABLE' are not allowed"}};
        for (String[] c : cases) {
            assertThatThrownBy(() -> ServerOptions.parse("--config", write(c[0]).toString())).as(c[0])
                    .isInstanceOf(ServerOptions.UsageException.class).hasMessageStartingWith(c[1]);
        }
        assertThat(dir.resolve("pwned")).doesNotExist();
        Files.write(dir.resolve("mailkit.yaml"), new byte[] {'a', ':', ' ', (byte) 0xc3});
        assertThatThrownBy(() -> ServerOptions.parse("--config", f)).hasMessage(f + ": not UTF-8 text");
        Files.writeString(dir.resolve("mailkit.yaml"), "# " + "x".repeat(2 << 20) + "\n");
        assertThatThrownBy(() -> ServerOptions.parse("--config", f)).hasMessage(f + ": larger than 1024 KiB: not a "
                + "configuration file?");
        StringBuilder many = new StringBuilder("domains:\n");
        for (int i = 0; i < 25_000; i++) {
            many.append("  - d").append(i).append(".test\n");
        }
        Files.writeString(dir.resolve("mailkit.yaml"), many);
        assertThatThrownBy(() -> ServerOptions.parse("--config", f)).hasMessageContaining("more than 20000 values");
    }
}
