package dev.mailkit.sieve;

import dev.mailkit.core.auth.InMemoryUserDirectory;
import dev.mailkit.core.server.AuthFailurePenalty;
import dev.mailkit.core.tls.TlsConfig;
import dev.mailkit.store.AccountId;
import dev.mailkit.testsupport.ExternalTool;
import dev.mailkit.testsupport.RawClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** ManageSieve (RFC 5804) with sieve-connect as the real client, and raw exchanges for the edges. */
class ManageSieveServerTest {
    static final InMemoryUserDirectory USERS = InMemoryUserDirectory.builder().passwordHashIterations(1000)
            .user("ann@example.com", "secret").build();
    static final AccountId ANN = AccountId.parse("ann@example.com");
    static final TlsConfig TLS = TlsConfig.selfSigned();

    @TempDir
    Path data;
    private ManageSieveServer server;
    private SieveScripts scripts;

    @AfterEach
    void close() {
        if (server != null) {
            server.close();
        }
    }

    private ManageSieveServer start(boolean tls) {
        scripts = SieveScripts.maildir(data);
        ManageSieveServer.Builder b = ManageSieveServer.builder().scripts(scripts).users(USERS)
                .authFailurePenalty(AuthFailurePenalty.none()).maxScriptSize(4096).maxScripts(3);
        if (tls) {
            b.tls(TLS);
        }
        server = b.build().start();
        return server;
    }

    private ExternalTool.Result sieveConnect(String... action) throws IOException {
        Path connect = ExternalTool.require("sieve-connect");
        Path ca = TLS.writeCertificatePem(data.resolve("ca.pem"));
        List<String> cmd = new ArrayList<>(List.of(connect.toString(), "--server", "localhost", "--port",
                Integer.toString(server.port()), "--user", "ann@example.com", "--passwordfd", "0", "--tlscafile",
                ca.toString(), "--authmech", "PLAIN", "--noclearauth"));
        cmd.addAll(List.of(action));
        return ExternalTool.run(cmd, "secret\n".getBytes(StandardCharsets.US_ASCII), Duration.ofSeconds(60),
                Map.of("HOME", data.toString()), data);
    }

    @Test
    void sieveConnectUploadsListsActivatesDownloadsAndDeletesOverStartTls() throws IOException {
        start(true);
        Path local = data.resolve("filter.sieve");
        String source = "require \"fileinto\";\r\nif header :contains \"subject\" \"[list]\" { fileinto \"Lists\"; }\r\n";
        Files.writeString(local, source);
        ExternalTool.Result up = sieveConnect("--upload", "--localsieve", local.toString(), "--remotesieve", "filter");
        assertThat(up.exitCode).as(up.stdout + up.stderr).isZero();
        assertThat(scripts.read(ANN, "filter")).hasValue(source);
        assertThat(Files.readString(data.resolve("example.com/ann/sieve/filter.sieve"))).isEqualTo(source);

        ExternalTool.Result act = sieveConnect("--activate", "--remotesieve", "filter");
        assertThat(act.exitCode).as(act.stdout + act.stderr).isZero();
        Path link = data.resolve("example.com/ann/.dovecot.sieve");
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.readSymbolicLink(link)).isEqualTo(Path.of("sieve/filter.sieve"));
        assertThat(scripts.activeSource(ANN)).hasValue(source);

        ExternalTool.Result list = sieveConnect("--list");
        assertThat(list.exitCode).as(list.stdout + list.stderr).isZero();
        assertThat(list.stdout).contains("\"filter\" ACTIVE");

        Path back = data.resolve("back.sieve");
        ExternalTool.Result down = sieveConnect("--download", "--remotesieve", "filter", "--localsieve",
                back.toString());
        assertThat(down.exitCode).as(down.stdout + down.stderr).isZero();
        assertThat(Files.readString(back)).isEqualTo(source);

        ExternalTool.Result deleteActive = sieveConnect("--delete", "--remotesieve", "filter");
        assertThat(deleteActive.exitCode).isNotZero();
        assertThat(deleteActive.stdout + deleteActive.stderr).contains("active");
        assertThat(sieveConnect("--deactivate").exitCode).isZero();
        assertThat(Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)).isFalse();
        ExternalTool.Result delete = sieveConnect("--delete", "--remotesieve", "filter");
        assertThat(delete.exitCode).as(delete.stdout + delete.stderr).isZero();
        assertThat(scripts.list(ANN)).isEmpty();
    }

    @Test
    void sieveConnectGetsTheCompileErrorOfAnInvalidScript() throws IOException {
        start(true);
        Path local = data.resolve("bad.sieve");
        Files.writeString(local, "require \"fileinto\";\nfileinot \"x\";\n");
        ExternalTool.Result up = sieveConnect("--upload", "--localsieve", local.toString(), "--remotesieve", "bad");
        assertThat(up.exitCode).isNotZero();
        assertThat(up.stdout + up.stderr).contains("line 2: error: unknown command 'fileinot'");
        assertThat(scripts.list(ANN)).isEmpty();
    }

    private static String plain(String user, String password) {
        return Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** Reads capability lines up to and including the OK line. */
    private static List<String> untilOk(RawClient c) throws IOException {
        List<String> lines = new ArrayList<>();
        String l;
        do {
            l = c.readLine();
            lines.add(l);
        } while (l != null && !l.startsWith("OK") && !l.startsWith("NO") && !l.startsWith("BYE"));
        return lines;
    }

    @Test
    void loginWaitsForStartTlsAndTheCapabilitiesAreSentAgainAfterIt() throws Exception {
        start(true);
        try (RawClient c = new RawClient(server.port())) {
            List<String> greeting = untilOk(c);
            assertThat(greeting).contains("\"STARTTLS\"", "\"SASL\" \"\"", "\"VERSION\" \"1.0\"");
            c.send("AUTHENTICATE \"PLAIN\" \"" + plain("ann@example.com", "secret") + "\"\r\n");
            assertThat(c.readLine()).startsWith("NO (ENCRYPT-NEEDED)");
            c.send("STARTTLS\r\n");
            assertThat(c.readLine()).startsWith("OK");
            SSLContext ctx = TLS.clientSslContext();
            c.startTls(ctx);
            List<String> again = untilOk(c);
            assertThat(again).contains("\"SASL\" \"PLAIN LOGIN\"").doesNotContain("\"STARTTLS\"");
            c.send("AUTHENTICATE \"PLAIN\" \"" + plain("ann@example.com", "wrong") + "\"\r\n");
            assertThat(c.readLine()).isEqualTo("NO \"Authentication failed.\"");
            c.send("AUTHENTICATE \"PLAIN\"\r\n");
            assertThat(c.readLine()).isEqualTo("\"\"");
            c.send("\"" + plain("ann@example.com", "secret") + "\"\r\n");
            assertThat(c.readLine()).isEqualTo("OK \"Logged in.\"");
            c.send("PUTSCRIPT \"a\" {14+}\r\nkeep;\r\nstop;\r\n\r\n");
            assertThat(c.readLine()).isEqualTo("OK \"Putscript completed.\"");
            c.send("PUTSCRIPT \"b\" {12+}\r\n\r\n\r\nfoo;\r\n  \r\n");
            assertThat(c.readLine()).isEqualTo("NO \"b: line 3: error: unknown command 'foo' (only reported once at "
                    + "first occurrence).\"");
            c.send("PUTSCRIPT \"b\" {10+}\r\nfoo;\nbar;\n\r\n");
            assertThat(c.readLine()).startsWith("NO {");
            assertThat(c.readLine()).startsWith("b: line 1: error: unknown command 'foo'");
            assertThat(c.readLine()).startsWith("b: line 2: error: unknown command 'bar'");
            c.send("CHECKSCRIPT \"if true { keep; }\"\r\n");
            assertThat(c.readLine()).isEqualTo("OK \"Script is valid.\"");
            c.send("SETACTIVE \"a\"\r\nLISTSCRIPTS\r\n");
            assertThat(c.readLine()).isEqualTo("OK \"Setactive completed.\"");
            assertThat(c.readLine()).isEqualTo("\"a\" ACTIVE");
            assertThat(c.readLine()).startsWith("OK");
            c.send("DELETESCRIPT \"a\"\r\n");
            assertThat(c.readLine()).startsWith("NO (ACTIVE)");
            c.send("RENAMESCRIPT \"a\" \"c\"\r\nGETSCRIPT \"c\"\r\n");
            assertThat(c.readLine()).isEqualTo("OK \"Renamescript completed.\"");
            assertThat(c.readLine()).isEqualTo("{14}");
            assertThat(c.readLine()).isEqualTo("keep;");
            assertThat(c.readLine()).isEqualTo("stop;");
            assertThat(c.readLine()).isEmpty();
            assertThat(c.readLine()).isEqualTo("OK \"Getscript completed.\"");
            assertThat(scripts.activeName(ANN)).hasValue("c");
            c.send("GETSCRIPT \"../../etc/passwd\"\r\nGETSCRIPT \"nope\"\r\n");
            assertThat(c.readLine()).startsWith("NO \"Invalid script name");
            assertThat(c.readLine()).startsWith("NO (NONEXISTENT)");
            c.send("HAVESPACE \"x\" 5000\r\nPUTSCRIPT \"d\" \"keep;\"\r\nPUTSCRIPT \"e\" \"keep;\"\r\nPUTSCRIPT \"f\" "
                    + "\"keep;\"\r\n");
            assertThat(c.readLine()).startsWith("NO (QUOTA/MAXSIZE)");
            assertThat(c.readLine()).startsWith("OK");
            assertThat(c.readLine()).startsWith("OK");
            assertThat(c.readLine()).startsWith("NO (QUOTA/MAXSCRIPTS)");
            c.send("LOGOUT\r\n");
            assertThat(c.readLine()).startsWith("OK");
        }
    }

    @Test
    void anOversizedLiteralEndsTheConnectionAndTooManyFailuresToo() throws Exception {
        start(false);
        try (RawClient c = new RawClient(server.port())) {
            assertThat(untilOk(c)).contains("\"SASL\" \"PLAIN LOGIN\"");
            c.send("AUTHENTICATE \"PLAIN\" \"" + plain("ann@example.com", "secret") + "\"\r\n");
            assertThat(c.readLine()).startsWith("OK");
            c.send("PUTSCRIPT \"x\" {999999999+}\r\n");
            assertThat(c.readLine()).startsWith("BYE (QUOTA/MAXSIZE)");
            assertThat(c.readLine()).isNull();
        }
        try (RawClient c = new RawClient(server.port())) {
            untilOk(c);
            for (int i = 0; i < 3; i++) {
                c.send("AUTHENTICATE \"PLAIN\" \"" + plain("ann@example.com", "bad" + i) + "\"\r\n");
                assertThat(c.readLine()).startsWith("NO");
            }
            assertThat(c.readLine()).startsWith("BYE");
            assertThat(c.readLine()).isNull();
        }
        try (RawClient c = new RawClient(server.port())) {
            untilOk(c);
            c.send("LISTSCRIPTS\r\n");
            assertThat(c.readLine()).isEqualTo("NO \"Authenticate first.\"");
        }
    }
}
