package dev.mailkit.examples;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.mailkit.examples.ServerOptions.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Today's flags, as the command lines of earlier versions wrote them. */
class ServerOptionsTest {
    @Test
    void defaults() throws Exception {
        ServerOptions o = ServerOptions.parse();
        assertThat(o.get(BIND).getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(o.get(SMTP_PORT)).isEqualTo(2525);
        assertThat(o.get(SUBMISSION_PORT)).isEqualTo(2587);
        assertThat(o.get(SMTPS_PORT)).isEqualTo(2465);
        assertThat(o.get(POP3_PORT)).isEqualTo(1110);
        assertThat(o.get(POP3S_PORT)).isEqualTo(1995);
        assertThat(o.get(IMAP_PORT)).isEqualTo(1143);
        assertThat(o.get(IMAPS_PORT)).isEqualTo(1993);
        assertThat(o.get(HTTP_PORT)).isEqualTo(8025);
        assertThat(o.get(STORE)).isEqualTo("maildir");
        assertThat(o.get(ALIASES)).isEmpty();
        assertThat(o.get(CATCH_ALL)).isEmpty();
        assertThat(o.get(DATA).toString()).isEqualTo("mailkit-data");
        assertThat(o.domains()).containsExactly("localhost");
    }

    @Test
    void repeatableAndEqualsForms() throws Exception {
        ServerOptions o = ServerOptions.parse("--domain", "a.test", "--domain=b.test", "--user", "x@a.test:pw:with:colons",
                "--smtp-port=0", "--bind", "0.0.0.0", "--pop3-port", "0", "--pop3s-port=0");
        assertThat(o.get(DOMAINS)).containsExactly("a.test", "b.test");
        assertThat(o.get(USERS)).containsExactly(Map.entry("x@a.test", "pw:with:colons"));
        assertThat(o.get(SMTP_PORT)).isZero();
        assertThat(o.get(POP3_PORT)).isZero();
        assertThat(o.get(POP3S_PORT)).isZero();
        assertThat(o.get(BIND).isAnyLocalAddress()).isTrue();
        ServerOptions a = ServerOptions.parse("--alias", "team@a.test=x@a.test, y@a.test", "--alias=team@a.test=z@a.test",
                "--catch-all", "a.test=x@a.test", "--store", "memory", "--http-open", "--scan-outbound", "--clamd",
                "127.0.0.1:3310");
        assertThat(a.get(ALIASES)).containsExactly(Map.entry("team@a.test", List.of("x@a.test", "y@a.test")),
                Map.entry("team@a.test", List.of("z@a.test")));
        assertThat(a.get(CATCH_ALL)).containsExactly(Map.entry("a.test", "x@a.test"));
        assertThat(a.get(STORE)).isEqualTo("memory");
        assertThat(a.get(HTTP_OPEN)).isTrue();
        assertThat(a.get(SCAN_OUTBOUND)).isTrue();
    }

    @Test
    void errorsAreOneLineAndSayWhatIsWrong() {
        assertThatThrownBy(() -> ServerOptions.parse("--frobnicate")).hasMessage("Unknown option: '--frobnicate'");
        assertThatThrownBy(() -> ServerOptions.parse("--smtp-port", "99999"))
                .hasMessage("--smtp-port: must be a port number 0..65535, was '99999'");
        assertThatThrownBy(() -> ServerOptions.parse("--smtp-port")).hasMessageContaining("--smtp-port")
                .hasMessageContaining("Missing required parameter");
        assertThatThrownBy(() -> ServerOptions.parse("--pop3-port", "x"))
                .hasMessage("--pop3-port: must be a port number 0..65535, was 'x'");
        assertThatThrownBy(() -> ServerOptions.parse("--user", "nopassword")).hasMessageContaining("ADDR:PASSWORD");
        assertThatThrownBy(() -> ServerOptions.parse("--user", "not an address:pw")).hasMessageContaining("--user: Invalid mailbox");
        assertThatThrownBy(() -> ServerOptions.parse("--store", "mbox"))
                .hasMessage("--store: must be maildir or memory or postgres, was 'mbox'");
        assertThatThrownBy(() -> ServerOptions.parse("--tls-cert", "c.pem")).hasMessage("--tls-cert and --tls-key go together");
        assertThatThrownBy(() -> ServerOptions.parse("--alias", "team@a.test")).hasMessageContaining("ADDR=TARGET");
        assertThatThrownBy(() -> ServerOptions.parse("--alias", "team@a.test=not an address"))
                .hasMessageContaining("--alias: Invalid mailbox");
        assertThatThrownBy(() -> ServerOptions.parse("--catch-all", "x@a.test=y@a.test"))
                .hasMessageContaining("DOMAIN=ADDR");
        assertThatThrownBy(() -> ServerOptions.parse("--domain", "a.test\r\nRCPT TO:<x@evil.test>"))
                .hasMessage("--domain: 'a.test??RCPT TO:<x@evil.test>' is not a domain name");
        assertThatThrownBy(() -> ServerOptions.parse("--http-open", "--bind", "0.0.0.0", "--user", "a@a.test:pw"))
                .hasMessageContaining("--http-open: shows everyone's mail without a login");
    }

    @Test
    void relayOptions() throws Exception {
        ServerOptions none = ServerOptions.parse();
        assertThat(none.get(RELAY_HOST)).isNull();
        assertThat(none.get(TRUSTED_NETWORKS)).isEmpty();
        assertThat(none.get(RELAY_TLS)).isEqualTo("opportunistic");
        ServerOptions o = ServerOptions.parse("--relay-host", "smtp.provider.test:587", "--relay-user", "me",
                "--relay-password", "pw:with:colons", "--relay-tls=required", "--trusted-network", "10.0.0.0/8",
                "--trusted-network=2001:db8::/32", "--dkim-domain", "local.test", "--dkim-selector", "s1",
                "--dkim-key", "key.pem");
        assertThat(o.get(RELAY_HOST)).isEqualTo("smtp.provider.test:587");
        assertThat(o.get(RELAY_USER)).isEqualTo("me");
        assertThat(o.get(RELAY_PASSWORD)).isEqualTo("pw:with:colons");
        assertThat(o.get(RELAY_TLS)).isEqualTo("required");
        assertThat(o.get(TRUSTED_NETWORKS)).containsExactly("10.0.0.0/8", "2001:db8::/32");
        assertThat(o.get(DKIM_DOMAIN)).isEqualTo("local.test");
        assertThat(o.get(DKIM_SELECTOR)).isEqualTo("s1");
        assertThat(o.get(DKIM_KEY).toString()).isEqualTo("key.pem");
    }

    @Test
    void relayOptionErrorsSayWhatToChange() throws Exception {
        assertThatThrownBy(() -> ServerOptions.parse("--relay-host", "host:port"))
                .hasMessage("--relay-host: needs HOST:PORT: 'host:port': the port 'port' is not a number");
        assertThatThrownBy(() -> ServerOptions.parse("--relay-host", "h.test:25", "--relay-user", "me"))
                .hasMessage("--relay-user and --relay-password go together");
        assertThatThrownBy(() -> ServerOptions.parse("--relay-user", "me", "--relay-password", "pw"))
                .hasMessage("--relay-user: applies to a smart host: add --relay-host HOST:PORT (relay.host)");
        assertThatThrownBy(() -> ServerOptions.parse("--relay-tls", "required"))
                .hasMessage("--relay-tls: applies to a smart host: add --relay-host HOST:PORT (relay.host)");
        assertThatThrownBy(() -> ServerOptions.parse("--relay-host", "h.test:25", "--relay-tls", "always"))
                .hasMessage("--relay-tls: must be required or opportunistic, was 'always'");
        assertThatThrownBy(() -> ServerOptions.parse("--relay-host", "h.test:25", "--relay-mta-sts"))
                .hasMessage("--relay-mta-sts: applies to MX delivery, not to a smart host: remove --relay-host "
                        + "(relay.host) or this setting");
        assertThatThrownBy(() -> ServerOptions.parse("--relay-dane", "127.0.0.1:99999"))
                .hasMessage("--relay-dane: the port must be 1..65535, was '127.0.0.1:99999'");
        assertThatThrownBy(() -> ServerOptions.parse("--relay-dane", "unbound;rm -rf"))
                .hasMessage("--relay-dane: must be a DNS server's HOST:PORT, e.g. 127.0.0.1:53, was 'unbound;rm -rf'");
        ServerOptions dane = ServerOptions.parse("--relay-dane", "[::1]:5353", "--relay-mta-sts");
        assertThat(dane.get(ServerOptions.RELAY_DANE)).isEqualTo("[::1]:5353");
        assertThat(Parsers.resolverAddress(dane.get(ServerOptions.RELAY_DANE)).getPort()).isEqualTo(5353);
        assertThat(Parsers.resolverAddress("127.0.0.1").getPort()).isEqualTo(53);
        assertThat(dane.get(ServerOptions.RELAY_MTA_STS)).isTrue();
        assertThatThrownBy(() -> ServerOptions.parse("--trusted-network", "10.1.2.3/8"))
                .hasMessage("--trusted-network: '10.1.2.3/8' has address bits set beyond the /8 prefix; did you mean "
                        + "10.0.0.0/8?");
        assertThatThrownBy(() -> ServerOptions.parse("--trusted-network", "everyone"))
                .hasMessageStartingWith("--trusted-network: 'everyone' is not a network in CIDR notation");
        assertThatThrownBy(() -> ServerOptions.parse("--dkim-domain", "local.test", "--dkim-key", "k.pem"))
                .hasMessage("--dkim-domain, --dkim-selector and --dkim-key go together");
    }

    @Test
    void dnsBlocklists() throws Exception {
        assertThat(ServerOptions.parse().get(DNSBL)).isEmpty();
        assertThat(ServerOptions.parse("--dnsbl", "zen.spamhaus.org", "--dnsbl=bl.example.test").get(DNSBL))
                .containsExactly("zen.spamhaus.org", "bl.example.test");
        assertThatThrownBy(() -> ServerOptions.parse("--dnsbl", "not a zone"))
                .hasMessage("--dnsbl: 'not a zone' is not a blocklist zone name; give one like zen.spamhaus.org");
    }

    @Test
    void inboundAuthentication() throws Exception {
        assertThat(ServerOptions.parse().get(INBOUND_AUTH)).isNull();
        assertThat(ServerOptions.parse("--inbound-auth", "enforce").get(INBOUND_AUTH)).isEqualTo("enforce");
        assertThat(ServerOptions.parse("--inbound-auth=record").get(INBOUND_AUTH)).isEqualTo("record");
        assertThatThrownBy(() -> ServerOptions.parse("--inbound-auth", "strict"))
                .hasMessage("--inbound-auth: must be record or enforce, was 'strict'");
    }

    @Test
    void theOptionsForSeveralNodesAreCheckedAndLeaveTheRestAlone() throws Exception {
        ServerOptions o = ServerOptions.parse("--store", "postgres", "--db-url", "jdbc:postgresql://db/mail",
                "--node-name=mx-1", "--smtp-port", "25", "--proxy-protocol-from", "10.0.0.5",
                "--proxy-protocol-from=10.1.0.0/16", "--db-schema", "mail_a", "--db-user", "mk");
        assertThat(o.get(ServerOptions.STORE)).isEqualTo("postgres");
        assertThat(o.get(ServerOptions.SMTP_PORT)).isEqualTo(25);
        ClusterOptions c = o.cluster();
        assertThat(c.dbUrl()).isEqualTo("jdbc:postgresql://db/mail");
        assertThat(c.nodeName()).isEqualTo("mx-1");
        assertThat(c.dbSchema()).isEqualTo("mail_a");
        assertThat(c.dbUser()).isEqualTo("mk");
        assertThat(c.proxies()).containsExactly("10.0.0.5", "10.1.0.0/16");
        assertThat(c.proxyProtocol().isProxy(java.net.InetAddress.getByName("10.1.2.3"))).isTrue();
        assertThat(c.proxyProtocol().isProxy(java.net.InetAddress.getByName("10.0.0.6"))).isFalse();
        assertThat(ServerOptions.parse().cluster().proxyProtocol()).isNull();
        assertThatThrownBy(() -> ServerOptions.parse("--store", "postgres"))
                .hasMessage("--store postgres: needs --db-url JDBC_URL");
        assertThatThrownBy(() -> ServerOptions.parse("--db-url", "jdbc:postgresql://db/mail"))
                .hasMessage("--db-url: goes with --store postgres");
        assertThatThrownBy(() -> ServerOptions.parse("--store", "postgres", "--db-url", "jdbc:mysql://db/mail"))
                .hasMessageContaining("--db-url").hasMessageContaining("jdbc:postgresql:");
        assertThatThrownBy(() -> ServerOptions.parse("--node-name", "a b")).hasMessageContaining("--node-name");
        assertThatThrownBy(() -> ServerOptions.parse("--db-schema", "x; DROP SCHEMA public"))
                .hasMessageContaining("--db-schema");
        assertThatThrownBy(() -> ServerOptions.parse("--proxy-protocol-from", "10.0.0.0/99"))
                .hasMessageContaining("--proxy-protocol-from");
        assertThatThrownBy(() -> ServerOptions.parse("--proxy-protocol-from")).hasMessageContaining(
                "--proxy-protocol-from");
        assertThat(help()).contains("--db-url=JDBC_URL", "--node-name=NAME", "--proxy-protocol-from=CIDR");
    }

    private static String help() {
        return new picocli.CommandLine(ServerOptions.commandSpec(new Object())).getUsageMessage();
    }

    @Test
    void connectionLimits() throws Exception {
        ServerOptions d = ServerOptions.parse();
        assertThat(d.get(ServerOptions.MAX_CONNECTIONS)).isEqualTo(1000);
        assertThat(d.get(ServerOptions.MAX_CONNECTIONS_PER_ADDRESS)).isEqualTo(100);
        ServerOptions o = ServerOptions.parse("--max-connections", "12000", "--max-connections-per-address=150");
        assertThat(o.get(ServerOptions.MAX_CONNECTIONS)).isEqualTo(12000);
        assertThat(o.get(ServerOptions.MAX_CONNECTIONS_PER_ADDRESS)).isEqualTo(150);
        assertThat(help()).contains("--max-connections=N", "(default 1000)", "--max-connections-per-address=N",
                "(default 100)");
        assertThatThrownBy(() -> ServerOptions.parse("--max-connections", "0"))
                .hasMessage("--max-connections: must be a whole number of at least 1, was '0'");
        assertThatThrownBy(() -> ServerOptions.parse("--max-connections-per-address", "x"))
                .hasMessage("--max-connections-per-address: must be a whole number of at least 1, was 'x'");
        assertThatThrownBy(() -> ServerOptions.parse("--max-connections", "10"))
                .hasMessage("--max-connections-per-address (100) cannot exceed --max-connections (10)");
    }
}
