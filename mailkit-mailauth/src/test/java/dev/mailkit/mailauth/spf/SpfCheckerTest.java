package dev.mailkit.mailauth.spf;

import dev.mailkit.dns.ZoneDns;
import dev.mailkit.core.sink.InMemorySink;
import dev.mailkit.core.server.AuthFailurePenalty;
import dev.mailkit.smtp.SmtpServer;
import dev.mailkit.dns.testing.Dnsmasq;
import dev.mailkit.testsupport.ExternalTool;
import dev.mailkit.testsupport.RawClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SPF over a real DNS server (dnsmasq) serving a zone of policies that exercise every mechanism, the modifiers,
 * macros, the lookup limits and the error cases; each check is compared with an independent implementation, pyspf
 * (python3-spf), asking the same DNS server; and the filter over SMTP.
 */
class SpfCheckerTest {
    @TempDir
    static Path dir;
    static Dnsmasq dns;

    static final String[] ZONE = {
            "local=/in-addr.arpa/", "local=/ip6.arpa/",
            "txt-record=pass.test,\"v=spf1 ip4:127.0.0.0/8 -all\"",
            "txt-record=fail.test,\"v=spf1 ip4:192.0.2.0/24 -all\"",
            "txt-record=soft.test,\"v=spf1 ~all\"",
            "txt-record=neutral.test,\"v=spf1 ?all\"",
            "host-record=none.test,127.0.0.1",
            "txt-record=incl.test,\"v=spf1 include:pass.test -all\"",
            "txt-record=inclfail.test,\"v=spf1 include:fail.test ~all\"",
            "txt-record=inclnone.test,\"v=spf1 include:none.test -all\"",
            "txt-record=a.test,\"v=spf1 a -all\"", "host-record=a.test,127.0.0.1",
            "txt-record=acidr.test,\"v=spf1 a:other.test/24 -all\"", "host-record=other.test,127.0.0.9",
            "txt-record=mx.test,\"v=spf1 mx -all\"", "mx-host=mx.test,mail.mx.test,10",
            "host-record=mail.mx.test,127.0.0.1",
            "txt-record=redirect.test,\"v=spf1 redirect=fail.test\"",
            "txt-record=redirnone.test,\"v=spf1 redirect=none.test\"",
            "txt-record=exists.test,\"v=spf1 exists:%{ir}.ex.test -all\"", "host-record=1.0.0.127.ex.test,127.0.0.2",
            "txt-record=macro.test,\"v=spf1 exists:%{l}.%{o}.lists.test -all\"",
            "host-record=user.macro.test.lists.test,127.0.0.2",
            "txt-record=syntax.test,\"v=spf1 ip4:300.1.1.1 -all\"",
            "txt-record=unknown.test,\"v=spf1 foo -all\"",
            "txt-record=two.test,\"v=spf1 -all\"", "txt-record=two.test,\"v=spf1 +all\"",
            "txt-record=loop.test,\"v=spf1 include:loop.test -all\"",
            "txt-record=void.test,\"v=spf1 a:nx1.test a:nx2.test a:nx3.test -all\"",
            "txt-record=many.test,\"v=spf1 a:h1.test a:h2.test a:h3.test a:h4.test a:h5.test a:h6.test a:h7.test "
                    + "a:h8.test a:h9.test a:h10.test a:h11.test -all\"",
            "host-record=h1.test,10.0.0.1", "host-record=h2.test,10.0.0.2", "host-record=h3.test,10.0.0.3",
            "host-record=h4.test,10.0.0.4", "host-record=h5.test,10.0.0.5", "host-record=h6.test,10.0.0.6",
            "host-record=h7.test,10.0.0.7", "host-record=h8.test,10.0.0.8", "host-record=h9.test,10.0.0.9",
            "host-record=h10.test,10.0.0.10", "host-record=h11.test,10.0.0.11",
            "txt-record=ip6.test,\"v=spf1 ip6:2001:db8::/32 -all\"",
            "txt-record=ptr.test,\"v=spf1 ptr -all\"", "ptr-record=1.0.0.127.in-addr.arpa,host.ptr.test",
            "host-record=host.ptr.test,127.0.0.1",
            "txt-record=expl.test,\"v=spf1 -all exp=explain.expl.test\"",
            "txt-record=explain.expl.test,\"%{i} is not one of %{d}'s designated mail servers\"",
            "txt-record=unrelated.test,\"not an spf record\"",
            "txt-record=bare.test,\"v=spf1\"",
            "txt-record=upper.test,\"V=SPF1 IP4:127.0.0.1 -ALL\"",
            "txt-record=modifier.test,\"v=spf1 foo=bar ip4:127.0.0.1 -all\"",
            "txt-record=split.test,\"v=spf1 ip4:127.0.0.1 \",\"-all\"",
            "txt-record=trans.test,\"v=spf1 exists:%{d2}.%{l1r-}.t.test -all\"", "host-record=trans.test.a.t.test,127.0.0.2",
            "txt-record=enc.test,\"v=spf1 exists:%{L}.enc.test -all\"", "host-record=a%2Bb.enc.test,127.0.0.2",
            "txt-record=v6exists.test,\"v=spf1 exists:%{ir}.%{v}.v6.test -all\"",
            "host-record=5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.v6.test,127.0.0.2",
            "txt-record=acidr6.test,\"v=spf1 a//64 -all\"", "host-record=acidr6.test,2001:db8::1",
            "txt-record=mxcidr.test,\"v=spf1 mx/24 -all\"", "mx-host=mxcidr.test,mail.mxcidr.test,10",
            "host-record=mail.mxcidr.test,127.0.0.200",
            "txt-record=redirexp.test,\"v=spf1 redirect=expl.test\"",
            "txt-record=chain1.test,\"v=spf1 include:chain2.test -all\"",
            "txt-record=chain2.test,\"v=spf1 include:chain3.test -all\"",
            "txt-record=chain3.test,\"v=spf1 +all\"",
            "txt-record=ptrmacro.test,\"v=spf1 exists:%{p}.pm.test -all\"", "host-record=host.ptr.test.pm.test,127.0.0.2",
            "txt-record=badmacro.test,\"v=spf1 exists:%{x}.test -all\"",
            "txt-record=softmx.test,\"v=spf1 mx ~all\""};

    /** {client ip, sender, helo}: every policy above, from inside and outside what it allows. */
    static final String[][] CASES = {
            {"127.0.0.1", "user@pass.test", "client.test"}, {"192.0.2.5", "user@pass.test", "client.test"},
            {"127.0.0.1", "user@fail.test", "client.test"}, {"192.0.2.5", "user@fail.test", "client.test"},
            {"127.0.0.1", "user@soft.test", "client.test"}, {"127.0.0.1", "user@neutral.test", "client.test"},
            {"127.0.0.1", "user@none.test", "client.test"}, {"127.0.0.1", "user@nx.test", "client.test"},
            {"127.0.0.1", "user@incl.test", "client.test"}, {"192.0.2.5", "user@incl.test", "client.test"},
            {"127.0.0.1", "user@inclfail.test", "client.test"}, {"127.0.0.1", "user@inclnone.test", "client.test"},
            {"127.0.0.1", "user@a.test", "client.test"}, {"127.0.0.2", "user@a.test", "client.test"},
            {"127.0.0.1", "user@acidr.test", "client.test"}, {"127.0.1.1", "user@acidr.test", "client.test"},
            {"127.0.0.1", "user@mx.test", "client.test"}, {"10.1.1.1", "user@mx.test", "client.test"},
            {"127.0.0.1", "user@redirect.test", "client.test"}, {"127.0.0.1", "user@redirnone.test", "client.test"},
            {"127.0.0.1", "user@exists.test", "client.test"}, {"127.0.0.2", "user@exists.test", "client.test"},
            {"127.0.0.1", "user@macro.test", "client.test"}, {"127.0.0.1", "other@macro.test", "client.test"},
            {"127.0.0.1", "user@syntax.test", "client.test"}, {"127.0.0.1", "user@unknown.test", "client.test"},
            {"127.0.0.1", "user@two.test", "client.test"}, {"127.0.0.1", "user@loop.test", "client.test"},
            {"127.0.0.1", "user@void.test", "client.test"}, {"127.0.0.1", "user@many.test", "client.test"},
            {"127.0.0.1", "user@ip6.test", "client.test"}, {"2001:db8::5", "user@ip6.test", "client.test"},
            {"127.0.0.1", "user@ptr.test", "client.test"}, {"127.0.0.2", "user@ptr.test", "client.test"},
            {"127.0.0.1", "user@expl.test", "client.test"}, {"127.0.0.1", "user@unrelated.test", "client.test"},
            {"127.0.0.1", "", "pass.test"}, {"192.0.2.5", "", "fail.test"},
            {"127.0.0.1", "user@bare.test", "client.test"}, {"127.0.0.1", "user@upper.test", "client.test"},
            {"127.0.0.1", "user@modifier.test", "client.test"}, {"127.0.0.1", "user@split.test", "client.test"},
            {"127.0.0.1", "b-a@trans.test", "client.test"}, {"127.0.0.1", "x-y@trans.test", "client.test"},
            {"127.0.0.1", "a+b@enc.test", "client.test"},
            {"2001:db8::5", "user@v6exists.test", "client.test"}, {"2001:db8::6", "user@v6exists.test", "client.test"},
            {"2001:db8::ffff", "user@acidr6.test", "client.test"}, {"2001:db9::1", "user@acidr6.test", "client.test"},
            {"127.0.0.9", "user@mxcidr.test", "client.test"}, {"127.0.1.9", "user@mxcidr.test", "client.test"},
            {"127.0.0.1", "user@redirexp.test", "client.test"}, {"127.0.0.1", "user@chain1.test", "client.test"},
            {"127.0.0.1", "user@ptrmacro.test", "client.test"}, {"127.0.0.1", "user@badmacro.test", "client.test"},
            {"127.0.0.1", "user@softmx.test", "client.test"}};

    @BeforeAll
    static void startDns() throws Exception {
        dns = new Dnsmasq(dir, ZONE);
    }

    @AfterAll
    static void stopDns() throws Exception {
        dns.close();
    }

    static SpfChecker checker() {
        return SpfChecker.builder().dnsServers(dns.address).timeout(Duration.ofSeconds(3)).receiver("mx.test").build();
    }

    /** pyspf's results for the cases, asking the same DNS server. */
    static List<String> pyspf() {
        String script = String.join("\n",
                "import sys, spf, dns.resolver",
                "r = dns.resolver.Resolver(configure=False)",
                "r.nameservers = ['127.0.0.1']",
                "r.port = int(sys.argv[1])",
                "dns.resolver.default_resolver = r",
                "for line in sys.stdin.read().splitlines():",
                "    ip, s, h = (line.split('|') + ['', '', ''])[:3]",
                "    res, expl = spf.check2(i=ip, s=s, h=h, timeout=10)",
                "    print(res)");
        StringBuilder in = new StringBuilder();
        for (String[] c : CASES) {
            in.append(String.join("|", c)).append('\n');
        }
        ExternalTool.Result r = ExternalTool.run(List.of(ExternalTool.python().toString(), "-c", script,
                        String.valueOf(dns.address.getPort())), in.toString().getBytes(StandardCharsets.UTF_8),
                Duration.ofSeconds(120)).assertSuccess();
        List<String> out = new ArrayList<>(List.of(r.stdout.trim().split("\n")));
        assertThat(out).as(r.stderr).hasSize(CASES.length);
        return out;
    }

    @Test
    void everyCaseAgreesWithPyspf() throws Exception {
        ExternalTool.Result probe = ExternalTool.run(List.of(ExternalTool.python().toString(), "-c", "import spf"),
                null, Duration.ofSeconds(30));
        if (probe.exitCode != 0) {
            throw new AssertionError("python3-spf is not installed: " + probe.stderr);
        }
        List<String> theirs = pyspf();
        SpfChecker c = checker();
        List<String> diffs = new ArrayList<>();
        for (int i = 0; i < CASES.length; i++) {
            String[] k = CASES[i];
            SpfResult ours = c.checkMailFrom(InetAddress.getByName(k[0]), k[1], k[2]);
            if (!ours.result().keyword().equals(theirs.get(i).trim())) {
                diffs.add(String.join(" ", k) + ": mailkit " + ours + ", pyspf " + theirs.get(i));
            }
        }
        assertThat(diffs).isEmpty();
    }

    @Test
    void resultsExplanationsAndDetails() throws Exception {
        SpfChecker c = checker();
        InetAddress local = InetAddress.getByName("127.0.0.1");
        assertThat(c.checkMailFrom(local, "user@pass.test", "h.test").result()).isEqualTo(SpfResult.Result.PASS);
        SpfResult fail = c.checkMailFrom(local, "user@expl.test", "h.test");
        assertThat(fail.result()).isEqualTo(SpfResult.Result.FAIL);
        assertThat(fail.explanation()).isEqualTo("127.0.0.1 is not one of expl.test's designated mail servers");
        assertThat(c.checkMailFrom(local, "user@many.test", "h.test").detail())
                .isEqualTo("more than 10 DNS-querying terms");
        assertThat(c.checkMailFrom(local, "user@void.test", "h.test").detail())
                .isEqualTo("more than 2 void DNS lookups");
        assertThat(c.checkMailFrom(local, "user@localhost", "h.test").result()).isEqualTo(SpfResult.Result.NONE);
        assertThat(c.checkHelo(local, "pass.test").result()).isEqualTo(SpfResult.Result.PASS);
    }

    @Test
    void aDnsServerThatDoesNotAnswerIsATemporaryError() throws Exception {
        try (java.net.DatagramSocket silent = new java.net.DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            SpfChecker c = SpfChecker.builder().dnsServers(new java.net.InetSocketAddress("127.0.0.1",
                    silent.getLocalPort())).timeout(Duration.ofMillis(300)).build();
            assertThat(c.checkMailFrom(InetAddress.getByName("127.0.0.1"), "user@pass.test", "h.test").result())
                    .isEqualTo(SpfResult.Result.TEMPERROR);
            // the whole check has a budget too: with 5 s per question but 400 ms in all, it ends long before 5 s
            SpfChecker budget = SpfChecker.builder().dnsServers(new java.net.InetSocketAddress("127.0.0.1",
                    silent.getLocalPort())).timeout(Duration.ofSeconds(5)).overallTimeout(Duration.ofMillis(400)).build();
            long t0 = System.nanoTime();
            assertThat(budget.checkMailFrom(InetAddress.getByName("127.0.0.1"), "user@pass.test", "h.test").result())
                    .isEqualTo(SpfResult.Result.TEMPERROR);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(4));
        }
    }

    @Test
    void theFilterRefusesFailsAndRecordsTheResult() throws Exception {
        InMemorySink sink = new InMemorySink();
        try (SmtpServer s = SmtpServer.builder().localDomains("local.test").sink(sink)
                .authFailurePenalty(AuthFailurePenalty.none()).filters(SpfFilter.of(checker(), "mx.local.test"))
                .build().start(); RawClient c = new RawClient(s.port())) {
            c.readReply();
            c.command("EHLO client.test");
            assertThat(c.command("MAIL FROM:<user@expl.test>")).isEqualTo(
                    "550 5.7.23 SPF validation failed: 127.0.0.1 is not one of expl.test's designated mail servers");
            assertThat(c.command("MAIL FROM:<user@fail.test>")).isEqualTo(
                    "550 5.7.23 SPF validation failed: fail.test does not allow [127.0.0.1] to send its mail");
            assertThat(c.command("MAIL FROM:<user@pass.test>")).startsWith("250");
            assertThat(c.command("RCPT TO:<bob@local.test>")).startsWith("250");
            assertThat(c.command("DATA")).startsWith("354");
            assertThat(c.command("Subject: spf\r\n\r\nhi\r\n.")).startsWith("250");
        }
        assertThat(sink.await(1, Duration.ofSeconds(10))).isTrue();
        assertThat(sink.messages().get(0).source().asString().replace("\r\n\t", " ")).contains("\r\nReceived-SPF: pass "
                + "(mx.local.test: domain of pass.test designates 127.0.0.1 as permitted sender) client-ip=127.0.0.1; "
                + "envelope-from=\"user@pass.test\"; helo=client.test; receiver=mx.local.test;\r\n");
        try (SmtpServer s = SmtpServer.builder().localDomains("local.test").sink(sink)
                .authFailurePenalty(AuthFailurePenalty.none())
                .filters(SpfFilter.of(checker(), "mx.local.test").recordOnly()).build().start();
             RawClient c = new RawClient(s.port())) {
            c.readReply();
            c.command("EHLO client.test");
            assertThat(c.command("MAIL FROM:<user@fail.test>")).as("record only").startsWith("250");
        }
    }

    /** Random SPF records (mechanisms, modifiers, macros and junk): a result, never an exception. */
    @Test
    void randomRecordsNeverThrow() throws Exception {
        String[] pieces = {"v=spf1", "all", "-all", "~all", "?all", "+all", "a", "a:", "a/24", "a//64", "a:x.test/33",
            "mx", "mx:%{d}", "ptr", "ptr:", "ip4:", "ip4:1.2.3.4/", "ip4:1.2.3.4/99", "ip6:::1", "ip6:zz", "exists:",
            "exists:%{i}.%{h}.%{s}", "include:", "include:%{o}", "redirect=", "redirect=%{", "exp=", "exp=%{r}",
            "%{", "%{x}", "%{d0}", "%{d999r.-+,/_=}", "%%", "%_", "%-", "%", "foo=bar", "=", ":", "/", " ", "\u00e9"};
        java.util.Random r = new java.util.Random(11);
        List<org.xbill.DNS.Record> records = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            StringBuilder rec = new StringBuilder("v=spf1");
            int k = r.nextInt(8);
            for (int j = 0; j < k; j++) {
                rec.append(' ').append(pieces[r.nextInt(pieces.length)]);
                if (r.nextInt(3) == 0) {
                    rec.append(pieces[r.nextInt(pieces.length)]);
                }
            }
            records.add(new org.xbill.DNS.TXTRecord(org.xbill.DNS.Name.fromString("r" + i + ".fuzz.test."),
                    org.xbill.DNS.DClass.IN, 300, rec.toString()));
        }
        dev.mailkit.dns.testing.ZoneResolver zone = new dev.mailkit.dns.testing.ZoneResolver("test.",
                records.toArray(new org.xbill.DNS.Record[0]));
        SpfChecker c = SpfChecker.builder().resolver(ZoneDns.over(zone)).timeout(Duration.ofSeconds(1)).build();
        for (int i = 0; i < 200; i++) {
            for (String ip : List.of("127.0.0.1", "2001:db8::1")) {
                SpfResult res = c.checkMailFrom(InetAddress.getByName(ip), "u" + i + "@r" + i + ".fuzz.test", "h.test");
                assertThat(res.result()).isNotNull();
            }
        }
    }
}
