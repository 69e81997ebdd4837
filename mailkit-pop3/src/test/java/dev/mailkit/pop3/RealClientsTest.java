package dev.mailkit.pop3;

import dev.mailkit.core.MessageSource;
import dev.mailkit.testsupport.ExternalTool;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import org.eclipse.angus.mail.pop3.POP3Folder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static dev.mailkit.pop3.Pop3Fixture.ANN;
import static dev.mailkit.pop3.Pop3Fixture.TLS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Independent POP3 clients against the server: Python's poplib, curl, Jakarta Mail (Angus) and fetchmail, in
 * plaintext, with STLS and over the implicit-TLS port, on messages that need byte-stuffing, 8-bit text and a big one.
 */
class RealClientsTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private Pop3Fixture fx;
    private Pop3Server plain;
    private Pop3Server secure;
    private final List<byte[]> messages = new ArrayList<>();
    @TempDir
    Path tmp;
    private Path cert;

    @BeforeEach
    void setUp() {
        fx = new Pop3Fixture();
        plain = fx.start();
        secure = fx.start(b -> b.tls(TLS).implicitTlsPort(0));
        cert = TLS.writeCertificatePem(tmp.resolve("cert.pem"));
        add(Pop3Fixture.message(1));
        add("From: a@example.com\r\nSubject: dots\r\n\r\n.\r\n..\r\n.leading dot\r\nend\r\n");
        add("From: a@example.com\r\nSubject: =?UTF-8?Q?gr=C3=BC=C3=9Fe?=\r\nContent-Type: text/plain; charset=UTF-8\r\n"
                + "Content-Transfer-Encoding: 8bit\r\n\r\nGr\u00fc\u00dfe, \u65e5\u672c\r\n");
        StringBuilder big = new StringBuilder("From: a@example.com\r\nSubject: big\r\n\r\n");
        for (int i = 0; big.length() < 700_000; i++) {
            big.append(i % 17 == 0 ? "." : "").append("line ").append(i).append(" of a big message\r\n");
        }
        add(big.toString());
    }

    private void add(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        messages.add(b);
        fx.deliver(ANN, MessageSource.of(b));
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    // ---- Python poplib ----------------------------------------------------------------------------------------------

    private static final String POPLIB = String.join("\n",
            "import poplib, ssl, sys, hashlib, json",
            "port, mode, cafile = int(sys.argv[1]), sys.argv[2], sys.argv[3]",
            "ctx = ssl.create_default_context(cafile=cafile)",
            "c = poplib.POP3_SSL('localhost', port, context=ctx) if mode == 'ssl' else poplib.POP3('127.0.0.1', port)",
            "if mode == 'stls':",
            "    ctx.check_hostname = False  # connected by IP; the chain is still verified",
            "    c.stls(ctx)",
            "out = {'capa': sorted(c.capa().keys())}",
            "if 'UTF8' in out['capa']: out['utf8'] = c.utf8().decode()",
            "c.user('ann@local.test'); c.pass_('secret')",
            "out['stat'] = list(c.stat())",
            "out['list'] = [l.decode() for l in c.list()[1]]",
            "out['uidl'] = [l.decode() for l in c.uidl()[1]]",
            "out['retr'] = [hashlib.sha256(b'\\r\\n'.join(c.retr(i)[1]) + b'\\r\\n').hexdigest() for i in range(1, out['stat'][0] + 1)]",
            "out['top'] = [l.decode() for l in c.top(2, 1)[1]]",
            "c.dele(1)",
            "out['quit'] = c.quit().decode()",
            "print(json.dumps(out))");

    private Map<String, Object> poplib(int port, String mode) throws Exception {
        Path script = tmp.resolve("poplib_client.py");
        Files.writeString(script, POPLIB);
        ExternalTool.Result r = ExternalTool.run(List.of(ExternalTool.python().toString(), script.toString(),
                String.valueOf(port), mode, cert.toString()), null, TIMEOUT).assertSuccess();
        @SuppressWarnings("unchecked")
        Map<String, Object> out = (Map<String, Object>) Json.parse(r.stdout.strip());
        return out;
    }

    private void checkPoplib(Map<String, Object> out) throws Exception {
        long total = messages.stream().mapToLong(m -> m.length).sum();
        assertThat(out.get("stat")).isEqualTo(List.of((long) messages.size(), total));
        List<String> list = new ArrayList<>();
        List<String> hashes = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            list.add((i + 1) + " " + messages.get(i).length);
            hashes.add(sha256(messages.get(i)));
        }
        assertThat(out.get("list")).isEqualTo(list);
        assertThat(out.get("retr")).isEqualTo(hashes);
        assertThat((List<?>) out.get("uidl")).hasSize(messages.size());
        assertThat(out.get("top")).isEqualTo(List.of("From: a@example.com", "Subject: dots", "", "."));
        assertThat((String) out.get("quit")).startsWith("+OK Logging out, 1 messages deleted");
        assertThat(fx.count(ANN)).isEqualTo(messages.size() - 1);
    }

    @Test
    void pythonPoplibPlain() throws Exception {
        Map<String, Object> out = poplib(plain.port(), "plain");
        assertThat(out.get("capa")).isEqualTo(List.of("AUTH-RESP-CODE", "IMPLEMENTATION", "PIPELINING",
                "RESP-CODES", "SASL", "TOP", "UIDL", "USER", "UTF8"));
        assertThat((String) out.get("utf8")).as("poplib's POP3.utf8(), RFC 6856").startsWith("+OK");
        checkPoplib(out);
    }

    @Test
    void pythonPoplibStls() throws Exception {
        Map<String, Object> out = poplib(secure.port(), "stls");
        checkPoplib(out);
    }

    @Test
    void pythonPoplibImplicitTls() throws Exception {
        checkPoplib(poplib(secure.implicitTlsPort(), "ssl"));
    }

    // ---- curl -------------------------------------------------------------------------------------------------------

    private ExternalTool.Result curl(String... args) {
        List<String> cmd = new ArrayList<>(List.of(ExternalTool.require("curl").toString(), "-sS", "--max-time", "30",
                "-u", ANN + ":secret"));
        cmd.addAll(List.of(args));
        return ExternalTool.run(cmd, null, TIMEOUT).assertSuccess();
    }

    @Test
    void curlListRetrUidlAndTop() throws Exception {
        String base = "pop3://127.0.0.1:" + plain.port() + "/";
        List<String> list = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            list.add((i + 1) + " " + messages.get(i).length);
        }
        assertThat(curl(base).stdout.split("\r\n")).containsExactlyElementsOf(list);
        for (int i = 0; i < messages.size(); i++) {
            Path file = tmp.resolve("curl-" + i);
            curl("-o", file.toString(), base + (i + 1));
            assertThat(Files.readAllBytes(file)).as("message %d", i + 1).isEqualTo(messages.get(i));
        }
        assertThat(curl("-X", "UIDL", base).stdout.split("\r\n")).hasSize(messages.size());
        assertThat(curl("-X", "TOP 2 0", base).stdout).isEqualTo("From: a@example.com\r\nSubject: dots\r\n\r\n");
    }

    @Test
    void curlWithSslReqdUsesStls() throws Exception {
        Path file = tmp.resolve("curl-stls");
        curl("--ssl-reqd", "--cacert", cert.toString(), "-o", file.toString(),
                "pop3://localhost:" + secure.port() + "/2");
        assertThat(Files.readAllBytes(file)).isEqualTo(messages.get(1));
        // the plaintext port without TLS: --ssl-reqd refuses to go on
        ExternalTool.Result r = ExternalTool.run(List.of(ExternalTool.require("curl").toString(), "-sS",
                "--ssl-reqd", "-u", ANN + ":secret", "pop3://127.0.0.1:" + plain.port() + "/1"), null, TIMEOUT);
        assertThat(r.exitCode).isNotZero();
    }

    @Test
    void curlImplicitTls() throws Exception {
        Path file = tmp.resolve("curl-pop3s");
        curl("--cacert", cert.toString(), "-o", file.toString(),
                "pop3s://localhost:" + secure.implicitTlsPort() + "/4");
        assertThat(Files.readAllBytes(file)).isEqualTo(messages.get(3));
    }

    @Test
    void curlSaslPlainWithInitialResponse() throws Exception {
        Path file = tmp.resolve("curl-sasl");
        curl("--sasl-ir", "--login-options", "AUTH=PLAIN", "-o", file.toString(),
                "pop3://127.0.0.1:" + plain.port() + "/1");
        assertThat(Files.readAllBytes(file)).isEqualTo(messages.get(0));
    }

    // ---- Jakarta Mail -----------------------------------------------------------------------------------------------

    private void jakarta(String protocol, int port, Properties props) throws Exception {
        props.put("mail." + protocol + ".host", "localhost");
        props.put("mail." + protocol + ".port", String.valueOf(port));
        props.put("mail." + protocol + ".connectiontimeout", "10000");
        props.put("mail." + protocol + ".timeout", "10000");
        props.put("mail." + protocol + ".ssl.socketFactory", TLS.clientSslContext().getSocketFactory());
        props.put("mail." + protocol + ".ssl.checkserveridentity", "true");
        Session session = Session.getInstance(props);
        List<String> uids = new ArrayList<>();
        try (Store store = session.getStore(protocol)) {
            store.connect(ANN, "secret");
            POP3Folder inbox = (POP3Folder) store.getFolder("INBOX");
            inbox.open(Folder.READ_WRITE);
            Message[] msgs = inbox.getMessages();
            assertThat(msgs).hasSize(messages.size());
            for (int i = 0; i < msgs.length; i++) {
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                msgs[i].writeTo(b);
                assertThat(b.toByteArray()).as("message %d", i + 1).isEqualTo(messages.get(i));
                assertThat(msgs[i].getSize()).isPositive();
                uids.add(inbox.getUID(msgs[i]));
            }
            assertThat(msgs[2].getSubject()).isEqualTo("gr\u00fc\u00dfe");
            assertThat(uids).doesNotHaveDuplicates().allMatch(u -> u.matches("[0-9a-f]{16}"));
            msgs[0].setFlag(jakarta.mail.Flags.Flag.DELETED, true);
            inbox.close(true);
        }
        assertThat(fx.count(ANN)).isEqualTo(messages.size() - 1);
    }

    @Test
    void jakartaMailPlain() throws Exception {
        jakarta("pop3", plain.port(), new Properties());
    }

    @Test
    void jakartaMailStartTls() throws Exception {
        Properties p = new Properties();
        p.put("mail.pop3.starttls.enable", "true");
        p.put("mail.pop3.starttls.required", "true");
        jakarta("pop3", secure.port(), p);
    }

    @Test
    void jakartaMailImplicitTls() throws Exception {
        jakarta("pop3s", secure.implicitTlsPort(), new Properties());
    }

    // ---- fetchmail --------------------------------------------------------------------------------------------------

    private ExternalTool.Result fetchmail(int port, String options) throws Exception {
        Path home = Files.createDirectories(tmp.resolve("fetchmail-home"));
        Path mbox = tmp.resolve("fetched.mbox");
        Path rc = tmp.resolve("fetchmailrc");
        Files.writeString(rc, "set no bouncemail\nset no syslog\n"
                + "poll localhost with proto POP3 port " + port + " uidl\n"
                + "  user \"" + ANN + "\" there with password \"secret\" is \"root\" here\n"
                + "  options fetchall no keep " + options + "\n"
                + "  mda \"/bin/sh -c 'cat >> " + mbox + "'\"\n");
        Files.setPosixFilePermissions(rc, PosixFilePermissions.fromString("rw-------"));
        return ExternalTool.run(List.of(ExternalTool.require("fetchmail").toString(), "-f", rc.toString(),
                        "--nodetach", "-v", "--idfile", home.resolve(".fetchids").toString()), null, TIMEOUT,
                Map.of("FETCHMAILHOME", home.toString(), "HOME", home.toString()), tmp);
    }

    private void checkFetched() throws Exception {
        String mbox = Files.readString(tmp.resolve("fetched.mbox"), StandardCharsets.UTF_8);
        for (byte[] m : messages) {
            String text = new String(m, StandardCharsets.UTF_8);
            // fetchmail adds a Received: header and hands the MDA LF line ends
            String body = text.substring(text.indexOf("\r\n\r\n") + 4).replace("\r\n", "\n");
            assertThat(mbox).contains(body);
        }
        assertThat(fx.count(ANN)).isZero();
    }

    @Test
    void fetchmailFetchesEverythingIntoAFileAndDeletes() throws Exception {
        ExternalTool.Result r = fetchmail(plain.port(), "sslproto ''");
        assertThat(r.exitCode).as(r.toString()).isZero();
        checkFetched();
    }

    @Test
    void fetchmailOverStls() throws Exception {
        ExternalTool.Result r = fetchmail(secure.port(), "sslproto 'TLS1.2+' sslcertck sslcertfile \"" + cert + "\"");
        assertThat(r.exitCode).as(r.toString()).isZero();
        assertThat(r.stdout + r.stderr).contains("STLS");
        checkFetched();
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
