package dev.mailkit.examples;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.mailkit.core.sink.DeliveryReport;
import dev.mailkit.core.tls.TlsConfig;
import dev.mailkit.dns.testing.Dnsmasq;
import dev.mailkit.examples.cli.Cli;
import dev.mailkit.mailauth.dkim.DkimSigner;
import dev.mailkit.smtp.SmtpRole;
import dev.mailkit.smtp.SmtpServer;
import dev.mailkit.testsupport.ExternalTool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code mailkit diagnose} against dnsmasq serving a correct zone (good.test: nothing to fix) and one with a mistake
 * in every record (bad.test: each named, with the record that fixes it), through {@code --dns}, and mailkit SMTP
 * servers on 127.0.0.10 and 127.0.0.20 as their MX hosts (a trusted certificate; an untrusted one and an open relay).
 */
class DiagnoseTest {
    @TempDir
    static Path dir;
    static Dnsmasq dns;
    static Path key;
    static String dkimRecord;
    static SmtpServer goodMx;
    static SmtpServer badMx;
    static Path goodCa;
    static HttpsServer policies;

    record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Cli.run(args, new ByteArrayInputStream(new byte[0]), new PrintStream(out, true,
                StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @BeforeAll
    static void zones() throws Exception {
        // the MX hosts: mail.good.test as it should be; mx1.bad.test with a certificate nobody trusts, open relay
        TlsConfig goodTls = TlsConfig.selfSigned("mail.good.test");
        goodCa = goodTls.writeCertificatePem(dir.resolve("good-ca.pem"));
        goodMx = SmtpServer.builder().bindAddress(InetAddress.getByName("127.0.0.10")).mx(0).localDomains("good.test")
                .tls(goodTls).sink((e, m) -> DeliveryReport.allDelivered()).build().start();
        // the MTA-STS policies, over HTTPS: good.test's covers its MX host, stsbad.test's does not
        TlsConfig stsTls = TlsConfig.selfSigned("mta-sts.good.test", "mta-sts.stsbad.test");
        Files.writeString(goodCa, goodTls.certificatePem() + stsTls.certificatePem());
        policies = HttpsServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.10"), 0), 0);
        policies.setHttpsConfigurator(new HttpsConfigurator(stsTls.serverSslContext()));
        policies.createContext("/.well-known/mta-sts.txt", x -> {
            byte[] body = (x.getRequestHeaders().getFirst("Host").startsWith("mta-sts.good.test")
                    ? "version: STSv1\r\nmode: enforce\r\nmx: mail.good.test\r\nmax_age: 604800\r\n"
                    : "version: STSv1\r\nmode: enforce\r\nmx: *.other.example\r\nmax_age: 604800\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            x.getResponseHeaders().add("Content-Type", "text/plain");
            x.sendResponseHeaders(200, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        policies.start();
        badMx = SmtpServer.builder().bindAddress(InetAddress.getByName("127.0.0.20")).mx(0).acceptAllDomains()
                .tls(TlsConfig.selfSigned("localhost")).sink((e, m) -> DeliveryReport.allDelivered()).build().start();
        key = dir.resolve("mk1.pem");
        assertThat(run("dkim", "keygen", "--domain", "good.test", "--selector", "mk1", "--algorithm", "ed25519", "-o",
                key.toString()).code()).isZero();
        dkimRecord = DkimSigner.fromPem("good.test", "mk1", key).dnsRecord().orElseThrow();
        String otherKey = DkimSigner.fromPem("x.test", "s", dir.resolve(generate("other.pem"))).dnsRecord()
                .orElseThrow();
        dns = new Dnsmasq(dir, "local=/in-addr.arpa/",
                // good.test: as it should be
                "mx-host=good.test,mail.good.test,10",
                "host-record=mail.good.test,127.0.0.10",
                "ptr-record=10.0.0.127.in-addr.arpa,mail.good.test",
                "txt-record=good.test,\"v=spf1 mx -all\"",
                "txt-record=mk1._domainkey.good.test,\"" + dkimRecord + "\"",
                "txt-record=_dmarc.good.test,\"v=DMARC1; p=reject; rua=mailto:postmaster@good.test\"",
                "txt-record=_mta-sts.good.test,\"v=STSv1; id=20260101\"",
                "txt-record=_smtp._tls.good.test,\"v=TLSRPTv1; rua=mailto:tls@good.test\"",
                "address=/mta-sts.good.test/127.0.0.10",
                // stsbad.test: its MTA-STS policy does not cover its MX host
                "mx-host=stsbad.test,mail.good.test,10",
                "txt-record=_mta-sts.stsbad.test,\"v=STSv1; id=1\"",
                "address=/mta-sts.stsbad.test/127.0.0.10",
                // bad.test: a mistake in each
                "mx-host=bad.test,mx1.bad.test,10",
                "mx-host=bad.test,mx2.bad.test,20", // no address
                "address=/mx1.bad.test/127.0.0.20", // (host-record would add a PTR)
                "ptr-record=20.0.0.127.in-addr.arpa,wrong.bad.test", // does not resolve back
                "txt-record=bad.test,\"v=spf1 ip4:192.0.2.1 -all\"", // not the server's address
                "txt-record=mk1._domainkey.bad.test,\"" + otherKey + "\"", // another key
                "txt-record=_dmarc.bad.test,\"v=DMARC1; p=maybe\"", // no valid policy
                "txt-record=_smtp._tls.bad.test,\"v=TLSRPT1; rua=mailto:tls@bad.test\"", // wrong version
                "host-record=20.0.0.127.bl.test,127.0.0.2", // listed
                "txt-record=20.0.0.127.bl.test,\"listed for testing\"",
                // twospf.test: two SPF records, and no MX
                "txt-record=twospf.test,\"v=spf1 -all\"",
                "txt-record=twospf.test,\"v=spf1 mx -all\"",
                // manyspf.test: an SPF record that needs 11 DNS-querying terms (RFC 7208 4.6.4 allows 10)
                "txt-record=manyspf.test,\"v=spf1 " + java.util.stream.IntStream.rangeClosed(1, 11)
                        .mapToObj(i -> "include:i" + i + ".manyspf.test").collect(java.util.stream.Collectors
                                .joining(" ")) + " -all\"",
                "txt-record=i1.manyspf.test,\"v=spf1 -all\"", "txt-record=i2.manyspf.test,\"v=spf1 -all\"",
                "txt-record=i3.manyspf.test,\"v=spf1 -all\"", "txt-record=i4.manyspf.test,\"v=spf1 -all\"",
                "txt-record=i5.manyspf.test,\"v=spf1 -all\"", "txt-record=i6.manyspf.test,\"v=spf1 -all\"",
                "txt-record=i7.manyspf.test,\"v=spf1 -all\"", "txt-record=i8.manyspf.test,\"v=spf1 -all\"",
                "txt-record=i9.manyspf.test,\"v=spf1 -all\"", "txt-record=i10.manyspf.test,\"v=spf1 -all\"",
                "txt-record=i11.manyspf.test,\"v=spf1 ip4:127.0.0.30 -all\"",
                // six.test: IPv6 reverse DNS, right for 2001:db8::25 (host-record adds the PTR), wrong for ::26
                "local=/ip6.arpa/",
                "host-record=mail.six.test,2001:db8::25",
                "ptr-record=" + ip6Reverse("2001:db8::26") + ",wrong.six.test");
    }

    /** The ip6.arpa name of an IPv6 address (RFC 3596 2.5), computed here apart from diagnose's own. */
    static String ip6Reverse(String address) {
        try {
            String hex = java.util.HexFormat.of().formatHex(InetAddress.getByName(address).getAddress());
            return new StringBuilder(hex).reverse().toString().replaceAll("(.)", "$1.") + "ip6.arpa";
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String generate(String name) {
        Run r = run("dkim", "keygen", "--domain", "x.test", "--selector", "s", "--algorithm", "ed25519", "-o",
                dir.resolve(name).toString());
        assertThat(r.code()).as(r.err()).isZero();
        return name;
    }

    @AfterAll
    static void stop() throws Exception {
        if (policies != null) {
            policies.stop(0);
        }
        if (goodMx != null) {
            goodMx.close();
        }
        if (badMx != null) {
            badMx.close();
        }
        if (dns != null) {
            dns.close();
        }
    }

    private static String server() {
        return "127.0.0.1:" + dns.address.getPort();
    }

    @Test
    void aCorrectDomainPasses() {
        Run r = run("diagnose", "good.test", "--dns", server(), "--dkim-selector", "mk1", "--dkim-key", key.toString(),
                "--dnsbl", "bl.test", "--trust", goodCa.toString(), "--smtp-port",
                String.valueOf(goodMx.port(SmtpRole.MX)), "--https-port", String.valueOf(policies.getAddress()
                        .getPort()));
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out().lines().filter(l -> !l.startsWith(" "))).containsExactly(
                "OK   mx           good.test MX [10 mail.good.test], each with an address",
                "OK   certificate  mail.good.test (127.0.0.10:" + goodMx.port(SmtpRole.MX) + ") offers STARTTLS "
                        + "(TLSv1.3) with a trusted certificate for mail.good.test until "
                        + goodMx.tls().orElseThrow().certificate().getNotAfter().toInstant(),
                "OK   open-relay   mail.good.test (127.0.0.10:" + goodMx.port(SmtpRole.MX) + ") refuses to relay "
                        + "for strangers",
                "OK   reverse-dns  127.0.0.10 is mail.good.test and mail.good.test is 127.0.0.10",
                "OK   spf          \"v=spf1 mx -all\" authorises 127.0.0.10",
                "OK   blocklist    127.0.0.10 is not listed on bl.test",
                "OK   dkim         mk1._domainkey.good.test publishes the configured key",
                "OK   dmarc        \"v=DMARC1; p=reject; rua=mailto:postmaster@good.test\"",
                "OK   mta-sts      _mta-sts.good.test \"v=STSv1; id=20260101\"",
                "OK   mta-sts-policy https://mta-sts.good.test:" + policies.getAddress().getPort()
                        + "/.well-known/mta-sts.txt: mode enforce, mx [mail.good.test], max_age 604800",
                "OK   tls-rpt      _smtp._tls.good.test \"v=TLSRPTv1; rua=mailto:tls@good.test\"",
                "good.test: nothing to fix");
    }

    @Test
    void everyMistakeIsNamedWithTheRecordThatFixesIt() {
        int port = badMx.port(SmtpRole.MX);
        Run r = run("diagnose", "bad.test", "--dns", server(), "--dkim-selector", "mk1", "--dkim-key", key.toString(),
                "--dnsbl", "bl.test", "--trust", goodCa.toString(), "--smtp-port", String.valueOf(port));
        assertThat(r.code()).isEqualTo(1);
        String dkimForBad = dkimRecord; // the same key, published for bad.test
        assertThat(r.out()).contains(
                "FAIL mx           MX host mx2.bad.test has no A or AAAA record: mail cannot reach it\n"
                        + "                  fix: mx2.bad.test. IN A <the server's address>\n",
                "FAIL certificate  the certificate of mx1.bad.test (127.0.0.20:" + port + ") (CN=localhost,O=mailkit "
                        + "generated certificate) is not trusted: PKIX path building failed",
                "FAIL open-relay   mx1.bad.test (127.0.0.20:" + port + ") accepts mail for other domains from anyone "
                        + "(RCPT answered 250",
                "FAIL reverse-dns  the PTR of 127.0.0.20 is wrong.bad.test, but wrong.bad.test does not resolve back "
                        + "to 127.0.0.20\n                  fix: wrong.bad.test. IN A 127.0.0.20\n",
                "FAIL spf          the SPF record \"v=spf1 ip4:192.0.2.1 -all\" does not authorise 127.0.0.20 (fail)\n"
                        + "                  fix: bad.test. IN TXT \"v=spf1 mx ip4:127.0.0.20 -all\"\n",
                "FAIL blocklist    127.0.0.20 is listed on bl.test (127.0.0.2: listed for testing)\n",
                "FAIL dkim         the DKIM record at mk1._domainkey.bad.test is not the configured key's (another "
                        + "public key): signatures will fail\n                  fix: mk1._domainkey.bad.test. IN TXT \""
                        + dkimForBad + "\"\n",
                "FAIL dmarc        the DMARC record \"v=DMARC1; p=maybe\" has no valid p= tag (none, quarantine or "
                        + "reject)\n                  fix: _dmarc.bad.test. IN TXT \"v=DMARC1; p=quarantine; "
                        + "rua=mailto:postmaster@bad.test\"\n",
                "WARN mta-sts      no MTA-STS record at _mta-sts.bad.test\n                  fix: serve a policy at "
                        + "https://mta-sts.bad.test/.well-known/mta-sts.txt, then publish _mta-sts.bad.test. IN TXT "
                        + "\"v=STSv1; id=20260101T000000\"\n",
                "FAIL tls-rpt      the record at _smtp._tls.bad.test does not start with v=TLSRPTv1",
                "bad.test: 9 things to fix\n");

        Run two = run("diagnose", "twospf.test", "--dns", server(), "--address", "127.0.0.30");
        assertThat(two.code()).isEqualTo(1);
        assertThat(two.out()).contains("FAIL mx           no MX record for twospf.test")
                .contains("fix: twospf.test. IN MX 10 mail.twospf.test.")
                .contains("FAIL reverse-dns  no reverse DNS (PTR) for 127.0.0.30")
                .contains("FAIL spf          2 SPF records for twospf.test")
                .contains("WARN dkim         mailkit is not configured to DKIM-sign mail from twospf.test")
                .contains("FAIL dmarc        no DMARC record at _dmarc.twospf.test");
    }

    @Test
    void anSpfRecordOverTheTenLookupLimitIsBroken() {
        Run r = run("diagnose", "manyspf.test", "--dns", server(), "--address", "127.0.0.30");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("FAIL spf          the SPF record \"v=spf1 include:i1.manyspf.test ")
                .contains("include:i11.manyspf.test -all\" is broken: more than 10 DNS-querying terms\n"
                        + "                  fix: manyspf.test. IN TXT \"v=spf1 mx ip4:127.0.0.30 -all\"\n");
    }

    @Test
    void ipv6ReverseDnsIsCheckedBothWays() {
        Run good = run("diagnose", "six.test", "--dns", server(), "--address", "2001:db8::25");
        assertThat(good.out()).contains("OK   reverse-dns  2001:db8:0:0:0:0:0:25 is mail.six.test and mail.six.test is "
                + "2001:db8:0:0:0:0:0:25\n");
        Run wrong = run("diagnose", "six.test", "--dns", server(), "--address", "2001:db8::26");
        assertThat(wrong.out()).contains("FAIL reverse-dns  the PTR of 2001:db8:0:0:0:0:0:26 is wrong.six.test, but "
                + "wrong.six.test does not resolve back to 2001:db8:0:0:0:0:0:26\n"
                + "                  fix: wrong.six.test. IN AAAA 2001:db8:0:0:0:0:0:26\n");
        Run none = run("diagnose", "six.test", "--dns", server(), "--address", "2001:db8::27");
        assertThat(none.out()).contains("FAIL reverse-dns  no reverse DNS (PTR) for 2001:db8:0:0:0:0:0:27")
                .contains("fix: ask the owner of 2001:db8:0:0:0:0:0:27 (your provider) for: "
                        + ip6Reverse("2001:db8::27") + ". IN PTR mail.six.test.");
    }

    @Test
    void anMtaStsPolicyThatDoesNotCoverTheMxHostIsNamed() {
        int https = policies.getAddress().getPort();
        Run r = run("diagnose", "stsbad.test", "--dns", server(), "--trust", goodCa.toString(), "--smtp-port",
                String.valueOf(goodMx.port(SmtpRole.MX)), "--https-port", String.valueOf(https));
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("FAIL mta-sts-policy the policy at https://mta-sts.stsbad.test:" + https
                + "/.well-known/mta-sts.txt does not cover MX host mail.good.test (mx: [*.other.example]): senders "
                + "that enforce it will not deliver there\n                  fix: serve at https://mta-sts.stsbad.test:"
                + https + "/.well-known/mta-sts.txt (text/plain): version: STSv1, mode: enforce, mx: mail.good.test, "
                + "max_age: 604800\n");
        // without --trust, the policy's web server is not trusted: the fetch fails as a sender's would
        Run untrusted = run("diagnose", "stsbad.test", "--dns", server(), "--smtp-port",
                String.valueOf(goodMx.port(SmtpRole.MX)), "--https-port", String.valueOf(https));
        assertThat(untrusted.out()).contains("FAIL mta-sts-policy cannot fetch https://mta-sts.stsbad.test:" + https
                + "/.well-known/mta-sts.txt: PKIX path building failed");
    }

    @Test
    void jsonForMachinesAndOneLineErrors() {
        Run r = run("diagnose", "bad.test", "--json", "--dns", server(), "--dnsbl", "bl.test", "--smtp-port",
                String.valueOf(badMx.port(SmtpRole.MX)));
        assertThat(r.code()).isEqualTo(1);
        // Python's json module reads it
        ExternalTool.Result parsed = ExternalTool.run(List.of(ExternalTool.python().toString(), "-c", String.join(
                "\n", "import json, sys", "d = json.load(sys.stdin)",
                "print(d['ok'], ' '.join(f['check'] + ':' + f['status'] for f in d['findings']))")),
                r.out().getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(30));
        assertThat(parsed.stdout.strip()).isEqualTo("False mx:fail certificate:fail open-relay:fail reverse-dns:fail spf:fail blocklist:fail "
                + "dkim:warn dmarc:fail mta-sts:warn tls-rpt:fail");

        Run badDomain = run("diagnose", "exa mple;rm", "--dns", server());
        assertThat(badDomain.code()).isEqualTo(2);
        assertThat(badDomain.err()).isEqualTo("mailkit: 'exa mple;rm' is not a domain name\n");
        Run badDns = run("diagnose", "good.test", "--dns", "nameserver:x");
        assertThat(badDns.code()).isEqualTo(2);
        assertThat(badDns.err()).isEqualTo("mailkit: --dns: 'nameserver:x' is not HOST:PORT\n");
        Run noKey = run("diagnose", "good.test", "--dns", server(), "--dkim-selector", "mk1", "--dkim-key",
                dir.resolve("missing.pem").toString());
        assertThat(noKey.code()).isEqualTo(1);
        assertThat(noKey.err()).startsWith("mailkit: ").contains("missing.pem").hasLineCount(1);
    }
}
