package dev.mailkit.examples;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServerOptionsTest {
    @Test
    void defaults() throws Exception {
        ServerOptions o = ServerOptions.parse();
        assertThat(o.bind.getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(o.smtpPort).isEqualTo(2525);
        assertThat(o.submissionPort).isEqualTo(2587);
        assertThat(o.smtpsPort).isEqualTo(2465);
        assertThat(o.pop3Port).isEqualTo(1110);
        assertThat(o.pop3sPort).isEqualTo(1995);
        assertThat(o.imapPort).isEqualTo(1143);
        assertThat(o.imapsPort).isEqualTo(1993);
        assertThat(o.store).isEqualTo("maildir");
        assertThat(o.aliases).isEmpty();
        assertThat(o.catchAll).isEmpty();
        assertThat(o.data.toString()).isEqualTo("mailkit-data");
    }

    @Test
    void repeatableAndEqualsForms() throws Exception {
        ServerOptions o = ServerOptions.parse("--domain", "a.test", "--domain=b.test", "--user", "x@a.test:pw:with:colons",
                "--smtp-port=0", "--bind", "0.0.0.0", "--pop3-port", "0", "--pop3s-port=0");
        assertThat(o.domains).containsExactly("a.test", "b.test");
        assertThat(o.users).containsEntry("x@a.test", "pw:with:colons");
        assertThat(o.smtpPort).isZero();
        assertThat(o.pop3Port).isZero();
        assertThat(o.pop3sPort).isZero();
        assertThat(o.bind.isAnyLocalAddress()).isTrue();
        ServerOptions a = ServerOptions.parse("--alias", "team@a.test=x@a.test, y@a.test", "--alias=team@a.test=z@a.test",
                "--catch-all", "a.test=x@a.test", "--store", "memory");
        assertThat(a.aliases).containsEntry("team@a.test", java.util.List.of("x@a.test", "y@a.test", "z@a.test"));
        assertThat(a.catchAll).containsEntry("a.test", "x@a.test");
        assertThat(a.store).isEqualTo("memory");
    }

    @Test
    void errorsAreOneLineAndSayWhatIsWrong() {
        assertThatThrownBy(() -> ServerOptions.parse("--frobnicate")).hasMessage("unknown option '--frobnicate'");
        assertThatThrownBy(() -> ServerOptions.parse("--smtp-port", "99999"))
                .hasMessage("--smtp-port must be a port number 0..65535, was '99999'");
        assertThatThrownBy(() -> ServerOptions.parse("--smtp-port")).hasMessage("--smtp-port needs a value");
        assertThatThrownBy(() -> ServerOptions.parse("--pop3-port", "x"))
                .hasMessage("--pop3-port must be a port number 0..65535, was 'x'");
        assertThatThrownBy(() -> ServerOptions.parse("--pop3s-port")).hasMessage("--pop3s-port needs a value");
        assertThatThrownBy(() -> ServerOptions.parse("--user", "nopassword")).hasMessageContaining("ADDR:PASSWORD");
        assertThatThrownBy(() -> ServerOptions.parse("--user", "not an address:pw")).hasMessageContaining("--user: Invalid mailbox");
        assertThatThrownBy(() -> ServerOptions.parse("--store", "mbox")).hasMessageContaining("memory, maildir or postgres");
        assertThatThrownBy(() -> ServerOptions.parse("--tls-cert", "c.pem")).hasMessageContaining("go together");
        assertThatThrownBy(() -> ServerOptions.parse("--alias", "team@a.test")).hasMessageContaining("ADDR=TARGET");
        assertThatThrownBy(() -> ServerOptions.parse("--alias", "team@a.test=not an address"))
                .hasMessageContaining("--alias: Invalid mailbox");
        assertThatThrownBy(() -> ServerOptions.parse("--catch-all", "x@a.test=y@a.test"))
                .hasMessageContaining("DOMAIN=ADDR");
    }

    @Test
    void relayOptions() throws Exception {
        ServerOptions none = ServerOptions.parse();
        assertThat(none.relayHost).isNull();
        assertThat(none.trustedNetworks).isEmpty();
        assertThat(none.relayTls).isEqualTo("opportunistic");
        ServerOptions o = ServerOptions.parse("--relay-host", "smtp.provider.test:587", "--relay-user", "me",
                "--relay-password", "pw:with:colons", "--relay-tls=required", "--trusted-network", "10.0.0.0/8",
                "--trusted-network=2001:db8::/32", "--dkim-domain", "local.test", "--dkim-selector", "s1",
                "--dkim-key", "key.pem");
        assertThat(o.relayHost).isEqualTo("smtp.provider.test:587");
        assertThat(o.relayUser).isEqualTo("me");
        assertThat(o.relayPassword).isEqualTo("pw:with:colons");
        assertThat(o.relayTls).isEqualTo("required");
        assertThat(o.trustedNetworks).containsExactly("10.0.0.0/8", "2001:db8::/32");
        assertThat(o.dkimDomain).isEqualTo("local.test");
        assertThat(o.dkimSelector).isEqualTo("s1");
        assertThat(o.dkimKey.toString()).isEqualTo("key.pem");
    }

    @Test
    void relayOptionErrorsSayWhatToChange() {
        assertThatThrownBy(() -> ServerOptions.parse("--relay-host", "host:port"))
                .hasMessage("--relay-host needs HOST:PORT: 'host:port': the port 'port' is not a number");
        assertThatThrownBy(() -> ServerOptions.parse("--relay-host", "h.test:25", "--relay-user", "me"))
                .hasMessage("--relay-user and --relay-password go together");
        assertThatThrownBy(() -> ServerOptions.parse("--relay-user", "me", "--relay-password", "pw"))
                .hasMessage("--relay-user applies to a smart host: add --relay-host HOST:PORT");
        assertThatThrownBy(() -> ServerOptions.parse("--relay-tls", "required"))
                .hasMessage("--relay-tls applies to a smart host: add --relay-host HOST:PORT");
        assertThatThrownBy(() -> ServerOptions.parse("--relay-host", "h.test:25", "--relay-tls", "always"))
                .hasMessage("--relay-tls must be required or opportunistic, was 'always'");
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
        assertThat(ServerOptions.parse().dnsbl).isEmpty();
        assertThat(ServerOptions.parse("--dnsbl", "zen.spamhaus.org", "--dnsbl=bl.example.test").dnsbl)
                .containsExactly("zen.spamhaus.org", "bl.example.test");
        assertThatThrownBy(() -> ServerOptions.parse("--dnsbl", "not a zone"))
                .hasMessage("--dnsbl: 'not a zone' is not a blocklist zone name; give one like zen.spamhaus.org");
    }

    @Test
    void inboundAuthentication() throws Exception {
        assertThat(ServerOptions.parse().inboundAuth).isNull();
        assertThat(ServerOptions.parse("--inbound-auth", "enforce").inboundAuth).isEqualTo("enforce");
        assertThat(ServerOptions.parse("--inbound-auth=record").inboundAuth).isEqualTo("record");
        assertThatThrownBy(() -> ServerOptions.parse("--inbound-auth", "strict"))
                .hasMessage("--inbound-auth must be record or enforce, was 'strict'");
    }

    @Test
    void theOptionsForSeveralNodesAreCheckedAndLeaveTheRestAlone() throws Exception {
        ServerOptions o = ServerOptions.parse("--store", "postgres", "--db-url", "jdbc:postgresql://db/mail",
                "--node-name=mx-1", "--smtp-port", "25", "--proxy-protocol-from", "10.0.0.5",
                "--proxy-protocol-from=10.1.0.0/16", "--db-schema", "mail_a", "--db-user", "mk");
        assertThat(o.store).isEqualTo("postgres");
        assertThat(o.smtpPort).isEqualTo(25);
        assertThat(o.cluster.dbUrl()).isEqualTo("jdbc:postgresql://db/mail");
        assertThat(o.cluster.nodeName()).isEqualTo("mx-1");
        assertThat(o.cluster.dbSchema()).isEqualTo("mail_a");
        assertThat(o.cluster.dbUser()).isEqualTo("mk");
        assertThat(o.cluster.proxies()).containsExactly("10.0.0.5", "10.1.0.0/16");
        assertThat(o.cluster.proxyProtocol().isProxy(java.net.InetAddress.getByName("10.1.2.3"))).isTrue();
        assertThat(o.cluster.proxyProtocol().isProxy(java.net.InetAddress.getByName("10.0.0.6"))).isFalse();
        assertThat(ServerOptions.parse().cluster.proxyProtocol()).isNull();
        assertThatThrownBy(() -> ServerOptions.parse("--store", "postgres"))
                .hasMessage("--store postgres needs --db-url JDBC_URL");
        assertThatThrownBy(() -> ServerOptions.parse("--db-url", "jdbc:postgresql://db/mail"))
                .hasMessage("--db-url is for --store postgres");
        assertThatThrownBy(() -> ServerOptions.parse("--store", "postgres", "--db-url", "jdbc:mysql://db/mail"))
                .hasMessageContaining("jdbc:postgresql:");
        assertThatThrownBy(() -> ServerOptions.parse("--node-name", "a b")).hasMessageContaining("--node-name");
        assertThatThrownBy(() -> ServerOptions.parse("--db-schema", "x; DROP SCHEMA public"))
                .hasMessageContaining("--db-schema");
        assertThatThrownBy(() -> ServerOptions.parse("--proxy-protocol-from", "10.0.0.0/99"))
                .hasMessageContaining("--proxy-protocol-from");
        assertThatThrownBy(() -> ServerOptions.parse("--proxy-protocol-from")).hasMessage(
                "--proxy-protocol-from needs a value");
        assertThat(ServerOptions.USAGE).contains("--db-url JDBC_URL", "--node-name NAME", "--proxy-protocol-from CIDR");
    }

    @Test
    void connectionLimits() throws Exception {
        ServerOptions d = ServerOptions.parse();
        assertThat(d.maxConnections).isEqualTo(1000);
        assertThat(d.maxConnectionsPerAddress).isEqualTo(100);
        ServerOptions o = ServerOptions.parse("--max-connections", "12000", "--max-connections-per-address=150");
        assertThat(o.maxConnections).isEqualTo(12000);
        assertThat(o.maxConnectionsPerAddress).isEqualTo(150);
        assertThat(ServerOptions.USAGE).contains("--max-connections N", "(default 1000)", "--max-connections-per-address N",
                "(default 100)");
        assertThatThrownBy(() -> ServerOptions.parse("--max-connections", "0"))
                .hasMessage("--max-connections must be a whole number of at least 1, was '0'");
        assertThatThrownBy(() -> ServerOptions.parse("--max-connections-per-address", "x"))
                .hasMessage("--max-connections-per-address must be a whole number of at least 1, was 'x'");
        assertThatThrownBy(() -> ServerOptions.parse("--max-connections", "10"))
                .hasMessage("--max-connections-per-address (100) cannot exceed --max-connections (10)");
    }
}
