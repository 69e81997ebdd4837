package dev.mailkit.mailauth.dmarc;

import dev.mailkit.core.MessageSource;
import dev.mailkit.core.server.AuthFailurePenalty;
import dev.mailkit.core.sink.InMemorySink;
import dev.mailkit.smtp.SmtpServer;
import dev.mailkit.mailauth.dkim.DkimResult;
import dev.mailkit.mailauth.dkim.DkimVerifier;
import dev.mailkit.mailauth.dkim.DkimSigner;
import dev.mailkit.mailauth.spf.SpfChecker;
import dev.mailkit.mailauth.spf.SpfResult;
import dev.mailkit.dns.testing.Dnsmasq;
import dev.mailkit.testsupport.ExternalTool;
import dev.mailkit.testsupport.RawClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * DMARC over a real DNS server (dnsmasq): alignment of SPF and DKIM (relaxed and strict), policies at the From
 * domain and at the organizational domain (with sp=), and the filter over SMTP; each case is compared with an
 * independent implementation, authheaders (python3-authheaders, with dkimpy and pyspf), asking the same server.
 */
class DmarcTest {
    @TempDir
    static Path dir;
    static Dnsmasq dns;
    static DkimSigner origin;
    static DkimSigner other;

    @BeforeAll
    static void start() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("Ed25519");
        origin = DkimSigner.builder("originmk.com", "ed1", g.generateKeyPair().getPrivate()).build();
        other = DkimSigner.builder("othermk.com", "ed1", g.generateKeyPair().getPrivate()).build();
        dns = new Dnsmasq(dir, "local=/com/",
                "txt-record=originmk.com,\"v=spf1 ip4:127.0.0.1 -all\"",
                "txt-record=_dmarc.originmk.com,\"v=DMARC1; p=reject\"",
                "txt-record=ed1._domainkey.originmk.com,\"" + origin.dnsRecord().orElseThrow() + "\"",
                "txt-record=ed1._domainkey.othermk.com,\"" + other.dnsRecord().orElseThrow() + "\"",
                "txt-record=bouncemk.com,\"v=spf1 ip4:127.0.0.1 -all\"",
                "txt-record=relaxedmk.com,\"v=spf1 ip4:127.0.0.1 -all\"",
                "txt-record=_dmarc.relaxedmk.com,\"v=DMARC1; p=reject\"",
                "txt-record=strictmk.com,\"v=spf1 ip4:127.0.0.1 -all\"",
                "txt-record=_dmarc.strictmk.com,\"v=DMARC1; p=reject; aspf=s; adkim=s\"",
                "txt-record=_dmarc.quarmk.com,\"v=DMARC1; p=quarantine\"",
                "txt-record=_dmarc.parentmk.com,\"v=DMARC1; p=reject; sp=none\"",
                "host-record=nonemk.com,127.0.0.1");
    }

    @AfterAll
    static void stop() throws Exception {
        dns.close();
    }

    static String message(String from) {
        return "From: Someone <" + from + ">\r\nTo: rcpt@local.test\r\nSubject: dmarc\r\n"
                + "Date: Fri, 1 Mar 2024 12:00:00 +0000\r\nMessage-ID: <" + from.hashCode() + "@x.test>\r\n\r\nbody\r\n";
    }

    static byte[] signed(DkimSigner s, String message) throws Exception {
        String m = message;
        if (s != null) {
            m = s.sign(new ByteArrayInputStream(m.getBytes(StandardCharsets.UTF_8)), Instant.now()) + m;
        }
        return m.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * {ip, MAIL FROM, From, signer (origin|other|none), expected result}. The domains are under a real public suffix
     * (.com, answered only by the test's dnsmasq): with a TLD that the Public Suffix List does not know, such as
     * .test, implementations disagree on what the organizational domain is. (No hyphens: authheaders 0.15 reads
     * the From domain with a pattern that stops at one.)
     */
    static final String[][] CASES = {
            {"127.0.0.1", "a@originmk.com", "a@originmk.com", "none", "pass"}, // aligned SPF
            {"192.0.2.9", "a@originmk.com", "a@originmk.com", "none", "fail"}, // SPF fails, nothing else
            {"192.0.2.9", "a@originmk.com", "a@originmk.com", "origin", "pass"}, // aligned DKIM
            {"127.0.0.1", "a@bouncemk.com", "a@originmk.com", "other", "fail"}, // SPF and DKIM pass, unaligned
            {"127.0.0.1", "a@relaxedmk.com", "x@sub.relaxedmk.com", "none", "pass"}, // relaxed, org-domain record
            {"127.0.0.1", "a@strictmk.com", "x@sub.strictmk.com", "none", "fail"}, // aspf=s
            {"192.0.2.9", "a@quarmk.com", "q@quarmk.com", "none", "fail"}, // p=quarantine
            {"192.0.2.9", "a@sub.parentmk.com", "x@sub.parentmk.com", "none", "fail"}, // sp=none
            {"127.0.0.1", "a@nonemk.com", "x@nonemk.com", "none", "none"}}; // no record

    static DkimSigner signer(String name) {
        return name.equals("origin") ? origin : name.equals("other") ? other : null;
    }

    static DmarcResult ours(String[] c) throws Exception {
        SpfChecker spf = SpfChecker.builder().dnsServers(dns.address).build();
        DkimVerifier dkim = DkimVerifier.builder().dnsServers(dns.address).build();
        DmarcChecker dmarc = DmarcChecker.builder().dnsServers(dns.address).build();
        SpfResult s = spf.checkMailFrom(InetAddress.getByName(c[0]), c[1], "client.test");
        List<DkimResult> d = dkim.verify(MessageSource.of(signed(signer(c[3]), message(c[2]))));
        return dmarc.check(c[2].substring(c[2].indexOf('@') + 1), s, d);
    }

    @Test
    void casesGiveTheExpectedResultsAndPolicies() throws Exception {
        for (String[] c : CASES) {
            assertThat(ours(c).result().keyword()).as(String.join(" ", c)).isEqualTo(c[4]);
        }
        assertThat(ours(CASES[1]).disposition()).isEqualTo(DmarcResult.Policy.REJECT);
        assertThat(ours(CASES[6]).disposition()).isEqualTo(DmarcResult.Policy.QUARANTINE);
        DmarcResult sub = ours(CASES[7]);
        assertThat(sub.policy()).as("sp= for a subdomain").isEqualTo(DmarcResult.Policy.NONE);
        assertThat(ours(CASES[4]).detail()).isEqualTo("aligned SPF pass (relaxedmk.com)");
        assertThat(ours(CASES[2]).authenticationResult()).isEqualTo("dmarc=pass (p=reject dis=none) header.from=originmk.com");
    }

    @Test
    void everyCaseAgreesWithAuthheaders() throws Exception {
        ExternalTool.Result probe = ExternalTool.run(List.of(ExternalTool.python().toString(), "-c",
                "import authheaders"), null, Duration.ofSeconds(30));
        if (probe.exitCode != 0) {
            throw new AssertionError("python3-authheaders is not installed: " + probe.stderr);
        }
        String script = String.join("\n",
                "import sys, base64, dns.resolver, authheaders",
                "r = dns.resolver.Resolver(configure=False)",
                "r.nameservers = ['127.0.0.1']",
                "r.port = int(sys.argv[1])",
                "dns.resolver.default_resolver = r",
                "for line in sys.stdin.read().splitlines():",
                "    ip, mfrom, msg = line.split('|')",
                "    print(authheaders.authenticate_message(base64.b64decode(msg), 'mx.local.test', spf=True,",
                "        ip=ip, mail_from=mfrom, helo='client.test'))");
        StringBuilder in = new StringBuilder();
        for (String[] c : CASES) {
            in.append(c[0]).append('|').append(c[1]).append('|')
                    .append(Base64.getEncoder().encodeToString(signed(signer(c[3]), message(c[2])))).append('\n');
        }
        ExternalTool.Result r = ExternalTool.run(List.of(ExternalTool.python().toString(), "-c", script,
                        String.valueOf(dns.address.getPort())), in.toString().getBytes(StandardCharsets.US_ASCII),
                Duration.ofSeconds(120)).assertSuccess();
        String[] lines = r.stdout.trim().split("\n");
        assertThat(lines).as(r.stderr).hasSize(CASES.length);
        List<String> diffs = new ArrayList<>();
        Pattern dmarc = Pattern.compile("dmarc=(\\w+)");
        for (int i = 0; i < CASES.length; i++) {
            Matcher m = dmarc.matcher(lines[i]);
            String theirs = m.find() ? m.group(1) : "none";
            String mine = ours(CASES[i]).result().keyword();
            if (!mine.equals(theirs)) {
                diffs.add(String.join(" ", CASES[i]) + ": mailkit " + mine + ", authheaders " + lines[i]);
            }
        }
        assertThat(diffs).isEmpty();
    }

    @Test
    void theFilterRefusesPolicyRejectsAndRecordsTheRest() throws Exception {
        InMemorySink sink = new InMemorySink();
        DmarcFilter f = DmarcFilter.of(SpfChecker.builder().dnsServers(dns.address).build(),
                DkimVerifier.builder().dnsServers(dns.address).build(),
                DmarcChecker.builder().dnsServers(dns.address).build(), "mx.local.test");
        try (SmtpServer s = SmtpServer.builder().localDomains("local.test").sink(sink)
                .authFailurePenalty(AuthFailurePenalty.none()).filters(f).build().start()) {
            // from 127.0.0.1 SPF passes for originmk.com; with a MAIL FROM of bouncemk.com and only othermk.com's
            // signature, nothing is aligned with From: originmk.com, whose policy is p=reject
            assertThat(send(s.port(), "a@bouncemk.com", signed(other, message("a@originmk.com"))))
                    .isEqualTo("550 5.7.1 Email rejected per DMARC policy for originmk.com");
            assertThat(send(s.port(), "a@originmk.com", signed(origin, message("a@originmk.com")))).startsWith("250");
        }
        assertThat(sink.await(1, Duration.ofSeconds(10))).isTrue();
        assertThat(sink.messages()).hasSize(1);
        String got = sink.messages().get(0).source().asString().replace("\r\n\t", " ").replace("\r\n ", " ");
        assertThat(got).containsPattern("\r\nAuthentication-Results: mx\\.local\\.test; spf=pass "
                + "smtp\\.mailfrom=a@originmk\\.com; dkim=pass header\\.d=originmk\\.com header\\.s=ed1 "
                + "header\\.b=\\S{8}; dmarc=pass \\(p=reject dis=none\\) header\\.from=originmk\\.com\r\n");
    }

    static String send(int port, String mailFrom, byte[] message) throws Exception {
        try (RawClient c = new RawClient(port)) {
            c.readReply();
            c.command("EHLO client.test");
            assertThat(c.command("MAIL FROM:<" + mailFrom + ">")).startsWith("250");
            assertThat(c.command("RCPT TO:<rcpt@local.test>")).startsWith("250");
            assertThat(c.command("DATA")).startsWith("354");
            c.sendBytes(message);
            return c.command(".");
        }
    }

    @Test
    void organizationalDomainsFollowThePublicSuffixList() {
        assertThat(DmarcChecker.organizationalDomain("mail.example.co.uk")).isEqualTo("example.co.uk");
        assertThat(DmarcChecker.organizationalDomain("a.b.example.com")).isEqualTo("example.com");
        assertThat(DmarcChecker.organizationalDomain("sub.relaxedmk.com")).isEqualTo("relaxedmk.com");
        assertThat(DmarcChecker.organizationalDomain("example.com")).isEqualTo("example.com");
    }
}
