package dev.mailkit.mailauth.dnsbl;

import dev.mailkit.core.dns.DnsResolver;
import dev.mailkit.dns.ZoneDns;
import dev.mailkit.core.auth.InMemoryUserDirectory;
import dev.mailkit.core.server.AuthFailurePenalty;
import dev.mailkit.core.sink.InMemorySink;
import dev.mailkit.smtp.SmtpServer;
import dev.mailkit.dns.testing.Dnsmasq;
import dev.mailkit.dns.testing.ZoneResolver;
import dev.mailkit.testsupport.RawClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.TXTRecord;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * DNS blocklists over real SMTP sessions from 127.0.0.1, with answers from an in-memory zone and from a real DNS
 * server (dnsmasq): listed clients are refused at RCPT with the list's text sanitised, nothing is delivered, and
 * what must not block (error answers, answers outside 127/8, other codes, authenticated users, exempt networks, a
 * list that does not answer) does not.
 */
class DnsBlocklistFilterTest {
    @TempDir
    Path dir;

    static ZoneResolver lists() throws IOException {
        return new ZoneResolver("test.",
                a("1.0.0.127.bl.test.", "127.0.0.2"),
                new TXTRecord(Name.fromString("1.0.0.127.bl.test."), DClass.IN, 300,
                        "Listed\r\n250 2.0.0 OK smuggled; see http://bl.test/lookup?127.0.0.1"),
                a("1.0.0.127.error.test.", "127.255.255.254"), // Spamhaus: "query refused"
                a("1.0.0.127.hijack.test.", "198.51.100.7"), // a resolver that rewrites NXDOMAIN
                a("1.0.0.127.codes.test.", "127.0.0.4"));
    }

    static ARecord a(String name, String address) throws IOException {
        return new ARecord(Name.fromString(name), DClass.IN, 300, InetAddress.getByName(address));
    }

    static SmtpServer server(InMemorySink sink, DnsBlocklistFilter filter) {
        return SmtpServer.builder().localDomains("local.test").sink(sink).filters(filter)
                .users(InMemoryUserDirectory.builder().passwordHashIterations(1).user("alice@local.test", "pw").build())
                .requireTlsForLogin(false).optionalAuth().authFailurePenalty(AuthFailurePenalty.none()).build();
    }

    /** MAIL and RCPT from 127.0.0.1; returns the RCPT reply (and sends the message if it was accepted). */
    static String transaction(SmtpServer s, boolean authenticate) throws IOException {
        try (RawClient c = new RawClient(s.port())) {
            assertThat(c.readReply()).startsWith("220 ");
            c.command("EHLO client.test");
            if (authenticate) {
                String plain = Base64.getEncoder().encodeToString("\0alice@local.test\0pw".getBytes(StandardCharsets.UTF_8));
                assertThat(c.command("AUTH PLAIN " + plain)).startsWith("235");
            }
            assertThat(c.command("MAIL FROM:<sender@remote.test>")).startsWith("250");
            String rcpt = c.command("RCPT TO:<bob@local.test>");
            if (rcpt.startsWith("250")) {
                assertThat(c.command("DATA")).startsWith("354");
                assertThat(c.command("Subject: hi\r\n\r\nhello\r\n.")).startsWith("250");
            }
            c.command("QUIT");
            return rcpt;
        }
    }

    @Test
    void aListedClientIsRefusedAtRcptWithTheListsTextAndNothingIsDelivered() throws Exception {
        InMemorySink sink = new InMemorySink();
        ZoneResolver dns = lists();
        try (SmtpServer s = server(sink, DnsBlocklistFilter.builder().resolver(ZoneDns.over(dns)).zone("bl.test").build()).start()) {
            String reply = transaction(s, false);
            assertThat(reply).isEqualTo("554 5.7.1 Service unavailable; client [127.0.0.1] blocked using bl.test; "
                    + "Listed  250 2.0.0 OK smuggled; see http://bl.test/lookup?127.0.0.1");
            assertThat(reply).doesNotContain("\r").doesNotContain("\n");
            assertThat(transaction(s, false)).startsWith("554 5.7.1"); // again, from the filter's cache
        }
        assertThat(sink.messages()).isEmpty();
    }

    @Test
    void errorCodesAnswersOutsideLoopbackAndUnlistedClientsAreNotBlocked() throws Exception {
        InMemorySink sink = new InMemorySink();
        DnsBlocklistFilter f = DnsBlocklistFilter.builder().resolver(ZoneDns.over(lists()))
                .zone("error.test").zone("hijack.test").zone("nx.test").zone("codes.test", "127.0.0.2", "127.0.0.3")
                .build();
        try (SmtpServer s = server(sink, f).start()) {
            assertThat(transaction(s, false)).startsWith("250");
        }
        assertThat(sink.await(1, Duration.ofSeconds(10))).isTrue();
    }

    @Test
    void selectedCodesBlockWhenTheAnswerIsOneOfThem() throws Exception {
        try (SmtpServer s = server(new InMemorySink(), DnsBlocklistFilter.builder().resolver(ZoneDns.over(lists()))
                .zone("nx.test").zone("codes.test", "127.0.0.4").build()).start()) {
            assertThat(transaction(s, false)).isEqualTo(
                    "554 5.7.1 Service unavailable; client [127.0.0.1] blocked using codes.test");
        }
    }

    @Test
    void authenticatedUsersAndExemptNetworksAreNotChecked() throws Exception {
        InMemorySink sink = new InMemorySink();
        try (SmtpServer s = server(sink, DnsBlocklistFilter.builder().resolver(ZoneDns.over(lists())).zone("bl.test").build())
                .start()) {
            assertThat(transaction(s, true)).as("a submission user on a listed address").startsWith("250");
        }
        ZoneResolver dns = lists();
        try (SmtpServer s = server(sink, DnsBlocklistFilter.builder().resolver(ZoneDns.over(dns)).zone("bl.test")
                .exempt("127.0.0.0/8").build()).start()) {
            assertThat(transaction(s, false)).startsWith("250");
        }
        assertThat(dns.queries.get()).as("exempt clients cost no DNS question").isZero();
        assertThat(sink.await(2, Duration.ofSeconds(10))).isTrue();
    }

    @Test
    void aListThatDoesNotAnswerInTimeBlocksNobody() throws Exception {
        InMemorySink sink = new InMemorySink();
        DnsResolver silent = (name, type) -> new CompletableFuture<>(); // never answers
        try (SmtpServer s = server(sink, DnsBlocklistFilter.builder().resolver(silent).zone("bl.test")
                .timeout(Duration.ofMillis(300)).build()).start()) {
            assertThat(transaction(s, false)).startsWith("250");
        }
        assertThat(sink.await(1, Duration.ofSeconds(10))).isTrue();
    }

    @Test
    void answersFromARealDnsServer() throws Exception {
        InMemorySink sink = new InMemorySink();
        try (Dnsmasq dns = new Dnsmasq(dir, "address=/1.0.0.127.bl.test/127.0.0.2",
                "txt-record=1.0.0.127.bl.test,\"see http://bl.test/q\"", "address=/1.0.0.127.error.test/127.255.255.254");
             SmtpServer listed = server(sink, DnsBlocklistFilter.builder().dnsServers(dns.address).zone("bl.test")
                     .build()).start();
             SmtpServer errors = server(sink, DnsBlocklistFilter.builder().dnsServers(dns.address)
                     .zone("error.test").zone("nx.test").build()).start()) {
            assertThat(transaction(listed, false)).isEqualTo(
                    "554 5.7.1 Service unavailable; client [127.0.0.1] blocked using bl.test; see http://bl.test/q");
            assertThat(transaction(errors, false)).startsWith("250");
        }
        assertThat(sink.await(1, Duration.ofSeconds(10))).isTrue();
        assertThat(sink.messages()).hasSize(1);
    }

    @Test
    void queryNamesReverseOctetsAndNibbles() throws Exception {
        assertThat(DnsBlocklistFilter.queryName(InetAddress.getByName("192.0.2.99"), "zen.example"))
                .isEqualTo("99.2.0.192.zen.example.");
        assertThat(DnsBlocklistFilter.queryName(InetAddress.getByName("2001:db8:1:2:3:4:567:89ab"), "bl.example"))
                .isEqualTo("b.a.9.8.7.6.5.0.4.0.0.0.3.0.0.0.2.0.0.0.1.0.0.0.8.b.d.0.1.0.0.2.bl.example.");
    }

    @Test
    void badSettingsAreExplained() {
        assertThatThrownBy(() -> DnsBlocklistFilter.builder().build()).hasMessageContaining("add at least one zone");
        assertThatThrownBy(() -> DnsBlocklistFilter.builder().zone("bl test")).hasMessageContaining("zen.spamhaus.org");
        assertThatThrownBy(() -> DnsBlocklistFilter.builder().zone("bl.test", "listed"))
                .hasMessageContaining("IPv4 addresses such as 127.0.0.2");
        assertThatThrownBy(() -> DnsBlocklistFilter.builder().exempt("10.0.0.0/99")).isInstanceOf(
                IllegalArgumentException.class);
        assertThatThrownBy(() -> DnsBlocklistFilter.builder().timeout(Duration.ZERO)).hasMessageContaining("positive");
    }

    /** A DNS server that never answers. */

}
