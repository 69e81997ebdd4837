package dev.mailkit.postgres;

import dev.mailkit.core.auth.InMemoryUserDirectory;
import dev.mailkit.core.server.AuthFailurePenalty;
import dev.mailkit.core.tls.TlsConfig;
import dev.mailkit.sieve.ManageSieveServer;
import dev.mailkit.sieve.VacationMemory;
import dev.mailkit.store.AccountId;
import dev.mailkit.testsupport.ExternalTool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Users' Sieve scripts and vacation replies in PostgreSQL, shared by two nodes (two databases on one schema): what
 * one node writes, activates, renames or deletes the other sees at once, with the RFC 5804 rules (the active script
 * cannot be deleted, a rename onto an existing name is refused); sieve-connect uploads and activates through a
 * ManageSieve server on node A and node B lists and reads the script.
 */
class PostgresSieveScriptsTest {
    static final AccountId ANN = AccountId.parse("ann@example.com");
    static final AccountId BOB = AccountId.parse("bob@example.com");

    @TempDir
    Path dir;
    private PostgresDatabase dbA;
    private PostgresDatabase dbB;
    private PostgresSieveScripts a;
    private PostgresSieveScripts b;

    @BeforeEach
    void twoNodes() {
        String schema = PostgresCluster.get().newSchema();
        dbA = PostgresCluster.get().database(schema, "a");
        dbB = PostgresCluster.get().database(schema, "b");
        a = PostgresSieveScripts.of(dbA);
        b = PostgresSieveScripts.of(dbB);
    }

    @AfterEach
    void close() {
        dbA.close();
        dbB.close();
    }

    @Test
    void scriptsWrittenOnOneNodeAreSeenOnTheOtherWithTheActiveOne() throws IOException {
        assertThat(b.list(ANN)).isEmpty();
        assertThat(b.activeSource(ANN)).isEmpty();
        a.write(ANN, "work", "keep;");
        a.write(ANN, "Home", "discard;");
        assertThat(b.list(ANN)).containsExactly("Home", "work");
        assertThat(b.list(BOB)).isEmpty();
        assertThat(b.read(ANN, "work")).hasValue("keep;");
        assertThat(b.read(ANN, "none")).isEmpty();
        assertThat(b.activeName(ANN)).isEmpty();

        a.activate(ANN, "work");
        assertThat(b.activeName(ANN)).hasValue("work");
        assertThat(b.activeSource(ANN)).hasValue("keep;");
        a.write(ANN, "work", "stop;"); // replacing the active script keeps it active
        assertThat(b.activeSource(ANN)).hasValue("stop;");

        b.activate(ANN, "Home"); // one active script: the other is no longer
        assertThat(a.activeName(ANN)).hasValue("Home");
        assertThat(a.activeSource(ANN)).hasValue("discard;");
        assertThatThrownBy(() -> b.activate(ANN, "missing")).isInstanceOf(NoSuchFileException.class);
        assertThat(a.activeName(ANN)).as("a failed SETACTIVE changes nothing").hasValue("Home");

        assertThatThrownBy(() -> a.delete(ANN, "Home")).isInstanceOf(IllegalStateException.class);
        assertThat(b.read(ANN, "Home")).isPresent();
        assertThatThrownBy(() -> a.rename(ANN, "Home", "work")).isInstanceOf(FileAlreadyExistsException.class);
        assertThat(a.rename(ANN, "missing", "x")).isFalse();
        assertThat(a.rename(ANN, "Home", "Private")).isTrue();
        assertThat(b.activeName(ANN)).as("the active script stays active under its new name").hasValue("Private");
        assertThat(b.list(ANN)).containsExactly("Private", "work");

        b.activate(ANN, null);
        assertThat(a.activeSource(ANN)).isEmpty();
        assertThat(a.delete(ANN, "Private")).isTrue();
        assertThat(a.delete(ANN, "Private")).isFalse();
        assertThat(b.list(ANN)).containsExactly("work");
        assertThat(b.includes(ANN).source(false, "work")).hasValue("stop;");
        assertThat(b.includes(ANN).source(true, "work")).as("no global scripts in the database").isEmpty();
    }

    @Test
    void aVacationReplyIsRecordedOncePerPeriodAcrossNodes() throws IOException {
        VacationMemory va = a.vacationMemory().orElseThrow();
        VacationMemory vb = b.vacationMemory().orElseThrow();
        Instant now = Instant.parse("2026-01-01T10:00:00Z");
        Instant until = now.plus(Duration.ofDays(7));
        assertThat(va.tryRecord(ANN, "sender@example.org", now, until)).isTrue();
        assertThat(vb.tryRecord(ANN, "sender@example.org", now.plusSeconds(60), until.plusSeconds(60))).isFalse();
        assertThat(vb.tryRecord(BOB, "sender@example.org", now, until)).as("another user's memory").isTrue();
        assertThat(vb.tryRecord(ANN, "sender@example.org", until, until.plus(Duration.ofDays(7))))
                .as("the period is over").isTrue();
        vb.forget(ANN, "sender@example.org");
        assertThat(va.tryRecord(ANN, "sender@example.org", until, until.plusSeconds(1))).isTrue();
    }

    @Test
    void sieveConnectUploadsOnOneNodeAndTheOtherNodeHasTheActiveScript() throws IOException {
        Path connect = ExternalTool.require("sieve-connect");
        TlsConfig tls = TlsConfig.selfSigned();
        InMemoryUserDirectory users = InMemoryUserDirectory.builder().passwordHashIterations(1000)
                .user("ann@example.com", "secret").build();
        try (ManageSieveServer server = ManageSieveServer.builder().scripts(a).users(users).tls(tls)
                .authFailurePenalty(AuthFailurePenalty.none()).build().start()) {
            Path local = dir.resolve("filter.sieve");
            String source = "require \"fileinto\";\r\nif header :contains \"subject\" \"[list]\" {\r\n"
                    + "  fileinto \"Lists\";\r\n}\r\n";
            Files.writeString(local, source);
            Path ca = tls.writeCertificatePem(dir.resolve("ca.pem"));
            for (List<String> action : List.of(
                    List.of("--upload", "--localsieve", local.toString(), "--remotesieve", "filter"),
                    List.of("--activate", "--remotesieve", "filter"))) {
                List<String> cmd = new ArrayList<>(List.of(connect.toString(), "--server", "localhost", "--port",
                        Integer.toString(server.port()), "--user", "ann@example.com", "--passwordfd", "0",
                        "--tlscafile", ca.toString(), "--authmech", "PLAIN", "--noclearauth"));
                cmd.addAll(action);
                ExternalTool.Result r = ExternalTool.run(cmd, "secret\n".getBytes(StandardCharsets.US_ASCII),
                        Duration.ofSeconds(60), Map.of("HOME", dir.toString()), dir);
                assertThat(r.exitCode).as(r.stdout + r.stderr).isZero();
            }
            assertThat(b.list(ANN)).containsExactly("filter");
            assertThat(b.activeName(ANN)).hasValue("filter");
            assertThat(b.activeSource(ANN)).hasValue(source);
        }
    }
}
