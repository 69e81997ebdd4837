package dev.mailkit.mailauth.dkim;

import dev.mailkit.core.Envelope;
import dev.mailkit.core.sink.InMemorySink;
import dev.mailkit.smtp.SmtpServer;
import dev.mailkit.testsupport.ExternalTool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** DKIM signatures checked by an independent verifier: dkimpy (python3-dkim), with keys from OpenDKIM's tools too. */
class DkimSignerTest {
    @TempDir
    Path dir;

    static final Instant NOW = Instant.parse("2024-03-01T12:00:00Z"); // dkimpy refuses t= in the future

    /** A message with what canonicalisation must get right: folding, odd whitespace, trailing empty lines. */
    static final String MESSAGE = "Received: from somewhere by somewhere else; Fri, 1 Mar 2030 11:00:00 +0000\r\n"
            + "From: Sender Name <sender@origin.test>\r\n"
            + "To: rcpt@remote.test,\r\n\tanother@remote.test\r\n"
            + "Subject:   folded   and\r\n   spaced \t \r\n"
            + "Date: Fri, 1 Mar 2030 12:00:00 +0000\r\n"
            + "Message-ID: <1@origin.test>\r\n"
            + "MIME-Version: 1.0\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\n"
            + "\r\n"
            + "Hello  \t world   \r\n"
            + "\r\n"
            + " leading space, trailing tab\t\r\n"
            + "ünïcödé body\r\n"
            + "\r\n\r\n\r\n";

    /** Verifies with dkimpy, answering its DNS question with the given TXT record. */
    static boolean verify(byte[] message, String dnsName, String txt) {
        return verifyAll(dnsName, txt, List.of(message)).get(0);
    }

    /** Verifies several messages in one dkimpy process (Python starts slowly on a busy machine). */
    static List<Boolean> verifyAll(String dnsName, String txt, List<byte[]> messages) {
        String script = String.join("\n",
                "import sys, dkim, base64",
                "name, txt = sys.argv[1].encode(), sys.argv[2].encode()",
                "def dns(q, timeout=5):",
                "    q = q if isinstance(q, bytes) else q.encode()",
                "    return txt if q.rstrip(b'.') == name else None",
                "for line in sys.stdin.buffer.read().split():",
                "    try:",
                "        ok = dkim.DKIM(base64.b64decode(line)).verify(dnsfunc=dns)",
                "    except Exception as e:",
                "        print('ERROR', e, file=sys.stderr)",
                "        ok = False",
                "    print('PASS' if ok else 'FAIL')");
        StringBuilder in = new StringBuilder();
        for (byte[] m : messages) {
            in.append(Base64.getEncoder().encodeToString(m)).append('\n');
        }
        ExternalTool.Result r = ExternalTool.run(List.of(ExternalTool.python().toString(), "-c", script, dnsName, txt),
                in.toString().getBytes(StandardCharsets.US_ASCII), Duration.ofSeconds(60)).assertSuccess();
        List<Boolean> out = new java.util.ArrayList<>();
        for (String l : r.stdout.trim().split("\n")) {
            out.add(l.trim().equals("PASS"));
        }
        assertThat(out).as(r.stderr).hasSize(messages.size());
        return out;
    }

    static void requireDkimpy() {
        Path py = ExternalTool.python();
        ExternalTool.Result r = ExternalTool.run(List.of(py.toString(), "-c", "import dkim, nacl"), null,
                Duration.ofSeconds(20));
        if (r.exitCode != 0) {
            String msg = "python3-dkim (with python3-nacl) is not installed for " + py;
            if (ExternalTool.underCi()) {
                throw new AssertionError(msg);
            }
            org.junit.jupiter.api.Assumptions.abort(msg);
        }
    }

    static byte[] signed(DkimSigner s, String message) throws Exception {
        String header = s.sign(new ByteArrayInputStream(message.getBytes(StandardCharsets.UTF_8)), NOW);
        return (header + message).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void rsaSha256VerifiesWithDkimpy() throws Exception {
        requireDkimpy();
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair kp = g.generateKeyPair();
        DkimSigner s = DkimSigner.builder("origin.test", "sel2030", kp.getPrivate()).build();
        assertThat(s.algorithm()).isEqualTo("rsa-sha256");
        String txt = s.dnsRecord().orElseThrow();
        assertThat(txt).isEqualTo("v=DKIM1; k=rsa; p=" + Base64.getEncoder().encodeToString(kp.getPublic().getEncoded()));
        byte[] msg = signed(s, MESSAGE);
        String text = new String(msg, StandardCharsets.UTF_8);
        assertThat(text).startsWith("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=origin.test; s=sel2030;")
                .contains("t=" + NOW.getEpochSecond() + ";")
                .contains("h=from:subject:date:to:message-id:mime-version:\r\n\tcontent-type;");
        assertThat(text.lines().mapToInt(String::length).max().orElseThrow()).isLessThanOrEqualTo(80);
        // the verifier is not vacuous: a changed body fails
        byte[] tampered = new String(msg, StandardCharsets.UTF_8).replace("world", "World")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(verifyAll(s.dnsName(), txt, List.of(msg, tampered))).containsExactly(true, false);
    }

    @Test
    void ed25519Sha256VerifiesWithDkimpy() throws Exception {
        requireDkimpy();
        KeyPair kp = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        DkimSigner s = DkimSigner.builder("origin.test", "ed", kp.getPrivate()).headers("subject", "to", "date")
                .build();
        assertThat(s.algorithm()).isEqualTo("ed25519-sha256");
        byte[] der = kp.getPublic().getEncoded();
        String raw = Base64.getEncoder().encodeToString(java.util.Arrays.copyOfRange(der, der.length - 32, der.length));
        assertThat(s.dnsRecord()).as("the public key is derived from the private key").contains(
                "v=DKIM1; k=ed25519; p=" + raw);
        byte[] msg = signed(s, MESSAGE);
        assertThat(new String(msg, StandardCharsets.UTF_8)).contains("h=from:subject:to:date;");
        byte[] tampered = new String(msg, StandardCharsets.UTF_8).replace("Subject:   folded", "Subject: Folded")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(verifyAll(s.dnsName(), s.dnsRecord().orElseThrow(), List.of(msg, tampered)))
                .containsExactly(true, false);
    }

    /** The body hash agrees with dkimpy's on the edge cases of relaxed body canonicalisation. */
    @Test
    void bodyHashAgreesWithDkimpyOnEdgeCases() throws Exception {
        requireDkimpy();
        KeyPair kp = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        DkimSigner s = DkimSigner.builder("origin.test", "ed", kp.getPrivate()).build();
        String head = "From: a@origin.test\r\nSubject: x\r\n\r\n";
        List<String> bodies = List.of("", "\r\n", "\r\n\r\n", "no final line end", "  \t \r\n \r\n",
                "a \r\n\r\nb\t\r\n", " x  y \t z \r\n\r\n\r\n", "\r\n\r\nafter empty lines\r\n");
        String script = "import sys, dkim, base64, hashlib\n"
                + "for line in sys.stdin.read().split('\\n'):\n"
                + "    if line == '': continue\n"
                + "    body = base64.b64decode(line[1:])\n"
                + "    c = dkim.canonicalization.Relaxed.canonicalize_body(body)\n"
                + "    print(base64.b64encode(hashlib.sha256(c).digest()).decode())";
        StringBuilder in = new StringBuilder();
        for (String body : bodies) {
            in.append('x').append(Base64.getEncoder().encodeToString(body.getBytes(StandardCharsets.UTF_8)))
                    .append('\n');
        }
        String[] expected = ExternalTool.run(List.of(ExternalTool.python().toString(), "-c", script),
                in.toString().getBytes(StandardCharsets.US_ASCII), Duration.ofSeconds(60)).assertSuccess().stdout
                .trim().split("\n");
        assertThat(expected).hasSize(bodies.size());
        for (int i = 0; i < bodies.size(); i++) {
            String body = bodies.get(i);
            String sig = s.sign(new ByteArrayInputStream((head + body).getBytes(StandardCharsets.UTF_8)), NOW);
            Matcher m = Pattern.compile("bh=([^;]+);").matcher(sig.replace("\r\n\t", ""));
            assertThat(m.find()).isTrue();
            assertThat(m.group(1)).as("body %s", body.replace("\r", "\\r").replace("\n", "\\n"))
                    .isEqualTo(expected[i].trim());
        }
    }

    /** A key and DNS record made by OpenDKIM's own opendkim-genkey, read from the PEM file it writes. */
    @Test
    void keysFromOpendkimGenkey() throws Exception {
        requireDkimpy();
        Path genkey = ExternalTool.require("opendkim-genkey");
        ExternalTool.run(List.of(genkey.toString(), "-b", "2048", "-D", dir.toString(), "-d", "origin.test", "-s",
                "mail"), null, Duration.ofSeconds(60)).assertSuccess();
        DkimSigner s = DkimSigner.fromPem("origin.test", "mail", dir.resolve("mail.private"));
        String zone = Files.readString(dir.resolve("mail.txt"));
        // mail._domainkey IN TXT ( "v=DKIM1; h=sha256; k=rsa; " "p=MIIB..." "..." ) ; comment
        StringBuilder txt = new StringBuilder();
        Matcher m = Pattern.compile("\"([^\"]*)\"").matcher(zone);
        while (m.find()) {
            txt.append(m.group(1));
        }
        assertThat(verify(signed(s, MESSAGE), "mail._domainkey.origin.test", txt.toString())).isTrue();
    }

    @Test
    void ed25519KeyFromAnOpensslPemFile() throws Exception {
        requireDkimpy();
        Path openssl = ExternalTool.require("openssl");
        Path key = dir.resolve("ed.pem");
        ExternalTool.run(List.of(openssl.toString(), "genpkey", "-algorithm", "ed25519", "-out", key.toString()), null,
                Duration.ofSeconds(30)).assertSuccess();
        DkimSigner s = DkimSigner.fromPem("Origin.Test", "ed", key);
        assertThat(s.domain()).isEqualTo("origin.test");
        assertThat(verify(signed(s, MESSAGE), s.dnsName(), s.dnsRecord().orElseThrow())).isTrue();
    }

    @Test
    void badKeysAndNamesAreExplained() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(512);
        assertThatThrownBy(() -> DkimSigner.builder("origin.test", "s", g.generateKeyPair().getPrivate()))
                .hasMessageContaining("at least 1024 bits");
        KeyPair ec = KeyPairGenerator.getInstance("EC").generateKeyPair();
        assertThatThrownBy(() -> DkimSigner.builder("origin.test", "s", ec.getPrivate()))
                .hasMessageContaining("RSA or Ed25519");
        KeyPair ed = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        assertThatThrownBy(() -> DkimSigner.builder("origin .test", "s", ed.getPrivate()))
                .hasMessageContaining("is not a DNS name");
        assertThatThrownBy(() -> DkimSigner.fromPem("origin.test", "s", dir.resolve("missing.pem")))
                .hasMessageContaining("cannot read DKIM key");
        DkimSigner s = DkimSigner.builder("origin.test", "s", ed.getPrivate()).build();
        assertThatThrownBy(() -> s.sign(new ByteArrayInputStream("Subject: x\r\n\r\nno from\r\n"
                .getBytes(StandardCharsets.UTF_8)), NOW)).hasMessageContaining("without a From:");
    }

    /**
     * Each thread signs with a Signature of its own: signatures made by many threads at once are byte for byte the
     * ones made alone (RSA PKCS#1 v1.5 and Ed25519 are deterministic), for both key types.
     */
    @Test
    void signaturesMadeByManyThreadsAtOnceAreTheOnesMadeAlone() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        for (KeyPair kp : List.of(g.generateKeyPair(), KeyPairGenerator.getInstance("Ed25519").generateKeyPair())) {
            DkimSigner s = DkimSigner.builder("origin.test", "s", kp.getPrivate()).build();
            List<String> messages = new java.util.ArrayList<>();
            List<String> alone = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String m = MESSAGE.replace("world", "world " + i);
                messages.add(m);
                alone.add(s.sign(new ByteArrayInputStream(m.getBytes(StandardCharsets.UTF_8)), NOW));
            }
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
            try {
                List<java.util.concurrent.Future<String>> results = new java.util.ArrayList<>();
                for (int n = 0; n < 400; n++) {
                    String m = messages.get(n % 8);
                    results.add(pool.submit(() -> s.sign(new ByteArrayInputStream(m.getBytes(StandardCharsets.UTF_8)),
                            NOW)));
                }
                for (int n = 0; n < results.size(); n++) {
                    assertThat(results.get(n).get()).as("signature %d", n).isEqualTo(alone.get(n % 8));
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
