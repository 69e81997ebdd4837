package dev.mailkit.mailauth.dkim;

import dev.mailkit.dns.ZoneDns;
import dev.mailkit.core.server.AuthFailurePenalty;
import dev.mailkit.core.sink.InMemorySink;
import dev.mailkit.smtp.SmtpServer;
import dev.mailkit.mailauth.dkim.DkimSigner;
import dev.mailkit.dns.testing.Dnsmasq;
import dev.mailkit.dns.testing.ZoneResolver;
import dev.mailkit.testsupport.ExternalTool;
import dev.mailkit.testsupport.RawClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.TXTRecord;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * DKIM verification: signatures made by mailkit's signer and by an independent signer (dkimpy, python3-dkim) in every
 * canonicalisation, tampered messages, key records that are missing, revoked or unreachable, expiry, rsa-sha1, keys
 * from a real DNS server (dnsmasq), and the Authentication-Results field the filter adds over SMTP.
 */
class DkimVerifierTest {
    @TempDir
    static Path dir;

    static final String MESSAGE = "From: Sender <sender@origin.test>\r\n"
            + "To: rcpt@remote.test\r\n"
            + "Subject:   folded\r\n   subject \t \r\n"
            + "Date: Fri, 1 Mar 2024 12:00:00 +0000\r\n"
            + "Message-ID: <1@origin.test>\r\n"
            + "\r\n"
            + "Hello  \t world   \r\n"
            + "\r\n"
            + " leading space, trailing tab\t\r\n"
            + "\r\n\r\n";

    static Path rsaPem;
    static DkimSigner rsa;
    static DkimSigner ed;
    static String edSeed;

    @BeforeAll
    static void keys() throws Exception {
        Path genkey = ExternalTool.require("opendkim-genkey"); // a PKCS#1 key, as dkimpy reads it
        ExternalTool.run(List.of(genkey.toString(), "-b", "2048", "-D", dir.toString(), "-d", "origin.test", "-s",
                "rsa1"), null, Duration.ofSeconds(60)).assertSuccess();
        rsaPem = dir.resolve("rsa1.private");
        rsa = DkimSigner.fromPem("origin.test", "rsa1", rsaPem);
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] pkcs8 = pair.getPrivate().getEncoded();
        byte[] seed = java.util.Arrays.copyOfRange(pkcs8, pkcs8.length - 32, pkcs8.length);
        edSeed = Base64.getEncoder().encodeToString(seed);
        ed = DkimSigner.builder("origin.test", "ed1", pair.getPrivate()).build();
    }

    static ZoneResolver zone() throws IOException {
        return new ZoneResolver("test.", txt(rsa), txt(ed),
                new TXTRecord(Name.fromString("revoked._domainkey.origin.test."), DClass.IN, 300, "v=DKIM1; k=rsa; p="));
    }

    static TXTRecord txt(DkimSigner s) throws IOException {
        String record = s.dnsRecord().orElseThrow();
        List<String> parts = new ArrayList<>(); // TXT strings are at most 255 octets each
        for (int i = 0; i < record.length(); i += 250) {
            parts.add(record.substring(i, Math.min(record.length(), i + 250)));
        }
        return new TXTRecord(Name.fromString(s.dnsName() + "."), DClass.IN, 300, parts);
    }

    static DkimVerifier verifier(ZoneResolver z) {
        return DkimVerifier.builder().resolver(ZoneDns.over(z)).timeout(Duration.ofSeconds(2)).build();
    }

    static byte[] signed(DkimSigner s, String message) throws IOException {
        return (s.sign(new ByteArrayInputStream(message.getBytes(StandardCharsets.UTF_8)), Instant.now()) + message)
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Signs with dkimpy: canonicalisation, algorithm, and whether to sign the body length (l=). */
    static byte[] dkimpy(String message, String selector, String canon, String algorithm, boolean length)
            throws Exception {
        String script = String.join("\n",
                "import sys, dkim",
                "msg = sys.stdin.buffer.read()",
                "sel, key, hc, bc, alg, length = sys.argv[1:7]",
                "key = open(key, 'rb').read() if alg == 'rsa-sha256' else key.encode()",
                "sig = dkim.sign(msg, sel.encode(), b'origin.test', key, canonicalize=(hc.encode(), bc.encode()),",
                "    signature_algorithm=alg.encode(), include_headers=[b'from', b'to', b'subject', b'date'],",
                "    length=(length == 'yes'))",
                "sys.stdout.buffer.write(sig + msg)");
        String[] c = canon.split("/");
        ExternalTool.Result r = ExternalTool.run(List.of(ExternalTool.python().toString(), "-c", script, selector,
                        algorithm.equals("rsa-sha256") ? rsaPem.toString() : edSeed, c[0], c[1], algorithm,
                        length ? "yes" : "no"), message.getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(60))
                .assertSuccess();
        return r.stdout.getBytes(StandardCharsets.ISO_8859_1);
    }

    static DkimResult only(List<DkimResult> rs) {
        assertThat(rs).hasSize(1);
        return rs.get(0);
    }

    static List<DkimResult> verify(DkimVerifier v, byte[] m) throws IOException {
        return v.verify(new ByteArrayInputStream(m));
    }

    @Test
    void mailkitsOwnSignaturesVerify() throws Exception {
        DkimVerifier v = verifier(zone());
        DkimResult r = only(verify(v, signed(rsa, MESSAGE)));
        assertThat(r.verdict()).as(r.reason()).isEqualTo(DkimResult.Verdict.PASS);
        assertThat(r.domain()).isEqualTo("origin.test");
        assertThat(r.selector()).isEqualTo("rsa1");
        assertThat(r.authenticationResult()).startsWith("dkim=pass header.d=origin.test header.s=rsa1 header.b=")
                .hasSize("dkim=pass header.d=origin.test header.s=rsa1 header.b=".length() + 8);
        assertThat(only(verify(v, signed(ed, MESSAGE))).verdict()).isEqualTo(DkimResult.Verdict.PASS);
    }

    @Test
    void dkimpySignaturesVerifyInEveryCanonicalisation() throws Exception {
        ExternalTool.require("python3");
        DkimVerifier v = verifier(zone());
        for (String canon : List.of("simple/simple", "relaxed/relaxed", "relaxed/simple", "simple/relaxed")) {
            for (String alg : List.of("rsa-sha256", "ed25519-sha256")) {
                byte[] m = dkimpy(MESSAGE, alg.startsWith("rsa") ? "rsa1" : "ed1", canon, alg, false);
                DkimResult r = only(verify(v, m));
                assertThat(r.verdict()).as(canon + " " + alg + ": " + r.reason()).isEqualTo(DkimResult.Verdict.PASS);
            }
        }
        // l=: only the signed length of the body counts, so text appended after signing does not break it
        byte[] limited = dkimpy(MESSAGE, "rsa1", "relaxed/simple", "rsa-sha256", true);
        byte[] appended = (new String(limited, StandardCharsets.ISO_8859_1) + "appended by a list\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        assertThat(only(verify(v, appended)).verdict()).isEqualTo(DkimResult.Verdict.PASS);
    }

    @Test
    void tamperedMessagesFail() throws Exception {
        DkimVerifier v = verifier(zone());
        String good = new String(signed(rsa, MESSAGE), StandardCharsets.UTF_8);
        DkimResult body = only(verify(v, good.replace("Hello", "Hullo").getBytes(StandardCharsets.UTF_8)));
        assertThat(body.verdict()).isEqualTo(DkimResult.Verdict.FAIL);
        assertThat(body.reason()).isEqualTo("body hash did not verify");
        DkimResult header = only(verify(v, good.replace("Subject:   folded", "Subject:   forged")
                .getBytes(StandardCharsets.UTF_8)));
        assertThat(header.verdict()).isEqualTo(DkimResult.Verdict.FAIL);
        assertThat(header.reason()).isEqualTo("signature did not verify");
        // a second From added above the signed one is what a reader sees: it is signed "from the bottom up", so the
        // signature no longer covers the From that is shown
        DkimResult added = only(verify(v, ("From: attacker@evil.test\r\n" + good).getBytes(StandardCharsets.UTF_8)));
        assertThat(added.verdict()).isEqualTo(DkimResult.Verdict.PASS); // the signed instance is unchanged...
        assertThat(only(verify(v, good.replaceFirst("From: Sender <sender@origin.test>\r\n",
                "From: Sender <sender@origin.test>\r\nFrom: attacker@evil.test\r\n").getBytes(StandardCharsets.UTF_8)))
                .verdict()).as("...but a From added below it replaces the signed instance").isEqualTo(
                        DkimResult.Verdict.FAIL);
    }

    @Test
    void keyProblemsAreErrorsOfTheRightKind() throws Exception {
        ZoneResolver z = zone();
        DkimVerifier v = verifier(z);
        String good = new String(signed(rsa, MESSAGE), StandardCharsets.UTF_8);
        DkimResult missing = only(verify(v, good.replace("s=rsa1", "s=nokey").getBytes(StandardCharsets.UTF_8)));
        assertThat(missing.verdict()).isEqualTo(DkimResult.Verdict.PERMERROR);
        assertThat(missing.reason()).isEqualTo("no key for signature at nokey._domainkey.origin.test");
        DkimResult revoked = only(verify(v, good.replace("s=rsa1", "s=revoked").getBytes(StandardCharsets.UTF_8)));
        assertThat(revoked.verdict()).isEqualTo(DkimResult.Verdict.PERMERROR);
        assertThat(revoked.reason()).isEqualTo("key revoked at revoked._domainkey.origin.test");
        z.serverFailure = true;
        DkimResult down = only(verify(verifier(z), good.getBytes(StandardCharsets.UTF_8)));
        assertThat(down.verdict()).isEqualTo(DkimResult.Verdict.TEMPERROR);
    }

    @Test
    void expiryWeakAlgorithmsAndMalformedSignatures() throws Exception {
        ZoneResolver z = zone();
        String good = new String(signed(ed, MESSAGE), StandardCharsets.UTF_8);
        String expiring = good.replaceFirst("\tt=", "\tx=" + Instant.parse("2030-01-01T00:00:00Z").getEpochSecond()
                + "; t=");
        assertThat(expiring).contains("; t=");
        DkimVerifier later = DkimVerifier.builder().resolver(ZoneDns.over(z))
                .clock(Clock.fixed(Instant.parse("2031-01-01T00:00:00Z"), ZoneOffset.UTC)).build();
        DkimResult expired = only(verify(later, expiring.getBytes(StandardCharsets.UTF_8)));
        assertThat(expired.verdict()).isEqualTo(DkimResult.Verdict.FAIL);
        assertThat(expired.reason()).isEqualTo("signature expired");
        DkimResult sha1 = only(verify(verifier(z), good.replace("a=ed25519-sha256", "a=rsa-sha1")
                .getBytes(StandardCharsets.UTF_8)));
        assertThat(sha1.verdict()).isEqualTo(DkimResult.Verdict.NEUTRAL);
        DkimResult noFrom = only(verify(verifier(z), good.replace("h=from:", "h=").getBytes(StandardCharsets.UTF_8)));
        assertThat(noFrom.verdict()).isEqualTo(DkimResult.Verdict.PERMERROR);
        assertThat(noFrom.reason()).isEqualTo("the signature does not cover From");
        DkimResult junk = only(verify(verifier(z), ("DKIM-Signature: garbage\r\n" + MESSAGE)
                .getBytes(StandardCharsets.UTF_8)));
        assertThat(junk.verdict()).isEqualTo(DkimResult.Verdict.PERMERROR);
        assertThat(verify(verifier(z), MESSAGE.getBytes(StandardCharsets.UTF_8))).isEmpty();
    }

    @Test
    void keysFromARealDnsServer() throws Exception {
        String record = ed.dnsRecord().orElseThrow();
        try (Dnsmasq dns = new Dnsmasq(dir, "txt-record=ed1._domainkey.origin.test,\"" + record + "\"")) {
            DkimVerifier v = DkimVerifier.builder().dnsServers(dns.address).build();
            assertThat(only(verify(v, signed(ed, MESSAGE))).verdict()).isEqualTo(DkimResult.Verdict.PASS);
            DkimResult none = only(verify(v, new String(signed(ed, MESSAGE), StandardCharsets.UTF_8)
                    .replace("s=ed1", "s=ed2").getBytes(StandardCharsets.UTF_8)));
            assertThat(none.verdict()).isEqualTo(DkimResult.Verdict.PERMERROR);
        }
    }

    /** Over SMTP: every message gets an Authentication-Results field at the top, signed or not. */
    @Test
    void theFilterRecordsResultsInAuthenticationResults() throws Exception {
        InMemorySink sink = new InMemorySink();
        try (SmtpServer s = SmtpServer.builder().localDomains("remote.test").sink(sink)
                .authFailurePenalty(AuthFailurePenalty.none())
                .filters(new DkimVerifyFilter(verifier(zone()), "mx.remote.test")).build().start()) {
            send(s.port(), signed(ed, MESSAGE));
            send(s.port(), MESSAGE.getBytes(StandardCharsets.UTF_8));
            assertThat(sink.await(2, Duration.ofSeconds(10))).isTrue();
        }
        String first = sink.messages().get(0).source().asString().replace("\r\n\t", " "); // unfolded
        assertThat(first).containsPattern("\r\nAuthentication-Results: mx\\.remote\\.test; dkim=pass "
                + "header\\.d=origin\\.test header\\.s=ed1 header\\.b=[A-Za-z0-9+/]{8}\r\nDKIM-Signature: ");
        assertThat(sink.messages().get(1).source().asString())
                .contains("\r\nAuthentication-Results: mx.remote.test; dkim=none\r\nFrom: Sender");
    }

    static void send(int port, byte[] message) throws IOException {
        try (RawClient c = new RawClient(port)) {
            c.readReply();
            c.command("EHLO client.test");
            assertThat(c.command("MAIL FROM:<sender@origin.test>")).startsWith("250");
            assertThat(c.command("RCPT TO:<rcpt@remote.test>")).startsWith("250");
            assertThat(c.command("DATA")).startsWith("354");
            c.sendBytes(message);
            assertThat(c.command(".")).startsWith("250");
        }
    }

    @Test
    void filterSettingsAreChecked() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new DkimVerifyFilter(DkimVerifier.builder().build(),
                "mx example")).hasMessageContaining("authservId must be a host name");
        assertThat(Files.exists(dir)).isTrue();
    }

    /** Random tag soup in DKIM-Signature fields and key records: results, never exceptions. */
    @Test
    void randomSignaturesAndKeysNeverThrow() throws Exception {
        String[] pieces = {"v=1", "v=2", "a=rsa-sha256", "a=ed25519-sha256", "a=", "b=", "b=AAAA", "bh=", "bh=%%%",
            "c=relaxed/simple", "c=weird", "d=origin.test", "d=", "s=rsa1", "s=ed1", "s=revoked", "s=../x", "h=from",
            "h=", "h=::", "l=5", "l=-1", "l=99999999999999999999", "x=1", "x=abc", "t=1", "i=@origin.test", "i=x",
            "q=dns/txt", "q=http", ";", ";;", "=", " ", "\t", "=\r\n\t", "\u00e9", "z=z"};
        ZoneResolver z = zone();
        for (int i = 1; i <= 30; i++) {
            z.zone.addRecord(new TXTRecord(Name.fromString("k" + i + "._domainkey.origin.test."), DClass.IN, 300,
                    "v=DKIM1; k=" + (i % 2 == 0 ? "rsa" : "ed25519") + "; p=" + "A".repeat(i % 7) + (i % 3 == 0 ? "=" : "")));
        }
        DkimVerifier v = verifier(z);
        java.util.Random r = new java.util.Random(7);
        for (int n = 0; n < 300; n++) {
            StringBuilder sig = new StringBuilder("DKIM-Signature: ");
            int k = r.nextInt(12);
            for (int j = 0; j < k; j++) {
                sig.append(pieces[r.nextInt(pieces.length)]).append(r.nextBoolean() ? "; " : "");
            }
            if (r.nextBoolean()) {
                sig.append("; s=k").append(1 + r.nextInt(30)).append("; d=origin.test; v=1; a=rsa-sha256; h=from; bh=x; b=y");
            }
            List<DkimResult> results = verify(v, (sig + "\r\n" + MESSAGE).getBytes(StandardCharsets.UTF_8));
            assertThat(results).hasSize(1);
            assertThat(results.get(0).verdict()).isNotEqualTo(DkimResult.Verdict.PASS);
        }
    }
}
