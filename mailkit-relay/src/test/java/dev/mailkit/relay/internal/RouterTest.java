package dev.mailkit.relay.internal;

import dev.mailkit.core.MailAddress;
import dev.mailkit.core.dns.DnsAnswer;
import dev.mailkit.core.dns.DnsException;
import dev.mailkit.core.dns.DnsResolver;
import dev.mailkit.core.sink.DeliveryReport;
import dev.mailkit.dns.StaticDnsResolver;
import dev.mailkit.relay.RelayTls;
import dev.mailkit.relay.SmartHost;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where {@link Router} sends a destination's mail, against DNS from memory ({@link StaticDnsResolver} or a lambda)
 * and scripted SMTP servers on 127.0.0.1 to 127.0.0.3, all on one port as mail exchangers would be on port 25.
 */
class RouterTest {
    @TempDir
    Path dir;

    final Watchdog watchdog = new Watchdog();
    final List<ScriptedServer> servers = new ArrayList<>();

    /** Greets, answers EHLO (and AUTH, if asked), and waits for the client to go. */
    static final ScriptedServer.Script SMTP = c -> {
        c.greet("AUTH PLAIN");
        while (true) {
            String l;
            try {
                l = c.readLine();
            } catch (IOException closed) {
                return;
            }
            c.send(l.startsWith("AUTH ") ? "235 2.7.0 ok\r\n" : l.equals("QUIT") ? "221 bye\r\n" : "250 ok\r\n");
        }
    };

    @AfterEach
    void tearDown() throws IOException {
        for (ScriptedServer s : servers) {
            s.close();
        }
        watchdog.close();
    }

    /** Servers on 127.0.0.1, .2 and .3, on one port; returns that port. */
    int startServers() throws IOException {
        servers.addAll(ScriptedServer.onOnePort(SMTP, ScriptedServer.loopback(1), ScriptedServer.loopback(2),
                ScriptedServer.loopback(3)));
        return servers.get(0).port();
    }

    Router router(DnsResolver dns, int port, long seed, Consumer<RelayConfig.Settings> more) {
        RelayConfig.Settings s = new RelayConfig.Settings();
        s.directory = dir;
        s.hostName = "relay.test";
        s.resolver = dns;
        s.mxPort = port;
        s.random = new Random(seed);
        s.connectTimeout = Duration.ofSeconds(5);
        s.commandTimeout = Duration.ofSeconds(5);
        more.accept(s);
        return new Router(RelayConfig.of(s), watchdog);
    }

    Router router(DnsResolver dns, int port) {
        return router(dns, port, 1, s -> { });
    }

    /**
     * Connects to the destination and says which of 127.0.0.1..3 took the connection (1, 2 or 3), or 0 when the
     * router found no connection.
     */
    int connectedTo(Router router, String destination) {
        int[] before = conversationCounts();
        Router.Route route = router.connect(destination);
        if (route.connection == null) {
            return 0;
        }
        route.connection.quit();
        int[] after = conversationCounts();
        int which = 0;
        for (int i = 0; i < after.length; i++) {
            if (after[i] != before[i]) {
                assertThat(which).as("one connection only").isZero();
                which = i + 1;
            }
        }
        return which;
    }

    int[] conversationCounts() {
        int[] n = new int[servers.size()];
        for (int i = 0; i < n.length; i++) {
            n[i] = servers.get(i).conversations().size();
        }
        return n;
    }

    @Test
    void mailExchangersAreTriedInPreferenceOrder() throws Exception {
        int port = startServers();
        DnsResolver dns = StaticDnsResolver.builder()
                .mx("remote.test", 30, "mx30.remote.test").mx("remote.test", 10, "mx10.remote.test")
                .mx("remote.test", 20, "mx20.remote.test")
                .address("mx30.remote.test", "127.0.0.1").address("mx10.remote.test", "127.0.0.3")
                .address("mx20.remote.test", "127.0.0.2").build();
        assertThat(connectedTo(router(dns, port), "remote.test")).isEqualTo(3);
        // the preferred exchanger does not answer (nothing listens on 127.0.0.4): the next one takes the mail
        DnsResolver firstDown = StaticDnsResolver.builder()
                .mx("remote.test", 10, "mx10.remote.test").mx("remote.test", 20, "mx20.remote.test")
                .mx("remote.test", 30, "mx30.remote.test").address("mx10.remote.test", "127.0.0.4")
                .address("mx20.remote.test", "127.0.0.2").address("mx30.remote.test", "127.0.0.1").build();
        assertThat(connectedTo(router(firstDown, port), "remote.test")).isEqualTo(2);
    }

    @Test
    void equalPreferencesAreShuffledByTheInjectedRandomOnly() throws Exception {
        int port = startServers();
        DnsResolver dns = StaticDnsResolver.builder()
                .mx("remote.test", 10, "a.remote.test").mx("remote.test", 10, "b.remote.test")
                .mx("remote.test", 5, "first.remote.test").mx("remote.test", 20, "c.remote.test")
                .address("first.remote.test", "127.0.0.4") // preferred, but down
                .address("a.remote.test", "127.0.0.1").address("b.remote.test", "127.0.0.2")
                .address("c.remote.test", "127.0.0.3").build();
        Set<Integer> chosen = new HashSet<>();
        for (long n = 1; n <= 16; n++) {
            long seed = n * 0x9E3779B97F4A7C15L; // spread out: small neighbouring seeds start java.util.Random alike
            int first = connectedTo(router(dns, port, seed, s -> { }), "remote.test");
            int again = connectedTo(router(dns, port, seed, s -> { }), "remote.test");
            assertThat(again).as("seed " + seed + " chooses the same way every time").isEqualTo(first);
            chosen.add(first);
        }
        assertThat(chosen).as("both exchangers of preference 10, never the one of 20").containsExactlyInAnyOrder(1, 2);
    }

    @Test
    void aDomainWithoutMxRecordsIsItsOwnMailExchanger() throws Exception {
        int port = startServers();
        DnsResolver dns = StaticDnsResolver.builder().address("plain.test", "127.0.0.2").address("empty.test")
                .build();
        assertThat(connectedTo(router(dns, port), "plain.test")).isEqualTo(2);
        Router.Route none = router(dns, port).connect("empty.test");
        assertThat(none.failure).isEqualTo(Outcome.Kind.BOUNCED);
        assertThat(none.status).isEqualTo("5.1.2");
        assertThat(none.detail).isEqualTo("Host or domain name not found: empty.test has no MX and no address records");
    }

    @Test
    void aNullMxBouncesWith5110() {
        DnsResolver dns = StaticDnsResolver.builder().nullMx("nomail.test").address("nomail.test", "127.0.0.1")
                .build();
        Router.Route r = router(dns, 25).connect("nomail.test");
        assertThat(r.connection).isNull();
        assertThat(r.failure).isEqualTo(Outcome.Kind.BOUNCED);
        assertThat(r.status).isEqualTo("5.1.10");
        assertThat(r.detail).isEqualTo("Domain nomail.test does not accept mail (null MX)");
    }

    @Test
    void aDomainThatDoesNotExistBouncesWith512() {
        Router.Route r = router(StaticDnsResolver.builder().build(), 25).connect("nowhere.test");
        assertThat(r.failure).isEqualTo(Outcome.Kind.BOUNCED);
        assertThat(r.status).isEqualTo("5.1.2");
        assertThat(r.detail).isEqualTo("Host or domain name not found: nowhere.test (no such domain)");
    }

    @Test
    void aDnsFailureDefersWith443() {
        DnsResolver servfail = (name, type) -> CompletableFuture.failedFuture(new DnsException("SERVFAIL for "
                + name));
        Router.Route r = router(servfail, 25).connect("remote.test");
        assertThat(r.failure).isEqualTo(Outcome.Kind.DEFERRED);
        assertThat(r.status).isEqualTo("4.4.3");
        assertThat(r.detail).isEqualTo("Host or domain name lookup failed for remote.test: SERVFAIL for remote.test");
        DnsResolver hostFails = StaticDnsResolver.builder().mx("remote.test", 10, "mx.remote.test")
                .failing("mx.remote.test").build();
        Router.Route h = router(hostFails, 25).connect("remote.test");
        assertThat(h.failure).isEqualTo(Outcome.Kind.DEFERRED);
        assertThat(h.status).isEqualTo("4.4.3");
        assertThat(h.detail).startsWith("Host or domain name lookup failed for mx.remote.test: ");
    }

    @Test
    void unreachableExchangersDeferWithTheLastConnectionError() throws Exception {
        int port = startServers();
        DnsResolver dns = StaticDnsResolver.builder().mx("remote.test", 10, "mx.remote.test")
                .address("mx.remote.test", "127.0.0.4").build();
        Router.Route r = router(dns, port).connect("remote.test");
        assertThat(r.connection).isNull();
        assertThat(r.failure).isEqualTo(Outcome.Kind.DEFERRED);
        assertThat(r.status).isEqualTo("4.4.1");
        assertThat(r.detail).startsWith("connect to mx.remote.test[127.0.0.4]:" + port + ": ");
        assertThat(r.remoteHost).isEqualTo("mx.remote.test");
        assertThat(r.remoteAddress.getPort()).isEqualTo(port);
    }

    @Test
    void aSmartHostTakesAllMailWithoutMxLookups() throws Exception {
        int port = startServers();
        List<String> questions = new ArrayList<>();
        StaticDnsResolver zone = StaticDnsResolver.builder().address("relay.provider.test", "127.0.0.2")
                .mx("remote.test", 10, "mx.remote.test").address("mx.remote.test", "127.0.0.1").build();
        DnsResolver recording = (name, type) -> {
            synchronized (questions) {
                questions.add(name + " " + type);
            }
            return zone.lookup(name, type);
        };
        SmartHost smartHost = SmartHost.builder("relay.provider.test", port).auth("user", "secret")
                .allowInsecureAuth().build();
        Router router = router(recording, 25, 1, s -> s.smartHost = smartHost);
        MailAddress rcpt = MailAddress.parse("someone@remote.test");
        assertThat(router.destinationOf(rcpt)).isEqualTo(Router.SMART_HOST);
        assertThat(router.reportedDestination(rcpt)).isEqualTo(smartHost.address());
        assertThat(connectedTo(router, Router.SMART_HOST)).isEqualTo(2);
        assertThat(questions).isNotEmpty().noneMatch(q -> q.endsWith(" MX"));
        List<String> said = servers.get(1).awaitFinished(1).get(0).received();
        assertThat(said).contains("AUTH PLAIN " + ClientFixture.base64("\0user\0secret"));
    }

    @Test
    void aSmartHostGivenAsAnAddressNeedsNoDnsAndOneWithoutAddressDefers() throws Exception {
        int port = startServers();
        DnsResolver noDns = (name, type) -> CompletableFuture.failedFuture(new AssertionError("asked " + name));
        Router byAddress = router(noDns, 25, 1, s -> s.smartHost = SmartHost.builder("127.0.0.3", port)
                .tls(RelayTls.DISABLED).build());
        assertThat(connectedTo(byAddress, Router.SMART_HOST)).isEqualTo(3);
        Router noAddress = router(StaticDnsResolver.builder().address("relay.provider.test").build(), 25, 1,
                s -> s.smartHost = SmartHost.builder("relay.provider.test", port).build());
        Router.Route r = noAddress.connect(Router.SMART_HOST);
        assertThat(r.failure).isEqualTo(Outcome.Kind.DEFERRED);
        assertThat(r.status).isEqualTo("4.4.4");
        assertThat(r.detail).isEqualTo("smart host relay.provider.test has no address");
    }

    @Test
    void anAddressLiteralIsConnectedToWithoutDns() throws Exception {
        int port = startServers();
        DnsResolver noDns = (name, type) -> CompletableFuture.failedFuture(new AssertionError("asked " + name));
        Router router = router(noDns, port);
        assertThat(router.destinationOf(MailAddress.parse("postmaster@[127.0.0.2]"))).isEqualTo("[127.0.0.2]");
        assertThat(connectedTo(router, "[127.0.0.2]")).isEqualTo(2);
    }

    @Test
    void destinationsAreLowerCaseDomainsOrLocal() {
        DnsResolver dns = (name, type) -> CompletableFuture.completedFuture(DnsAnswer.noSuchName());
        Router router = router(dns, 25, 1, s -> {
            s.localSink = (envelope, message) -> DeliveryReport.allDelivered();
            s.localDomains.add("local.test");
        });
        assertThat(router.destinationOf(MailAddress.parse("someone@Remote.TEST"))).isEqualTo("remote.test");
        assertThat(router.destinationOf(MailAddress.parse("someone@local.test"))).isEqualTo(Router.LOCAL);
        assertThat(router.reportedDestination(MailAddress.parse("someone@Remote.TEST"))).isEqualTo("remote.test");
    }
}
