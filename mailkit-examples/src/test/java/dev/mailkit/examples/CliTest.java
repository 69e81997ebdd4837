package dev.mailkit.examples;

import dev.mailkit.examples.cli.Cli;
import dev.mailkit.mailauth.dkim.DkimSigner;
import dev.mailkit.passwd.PasswdFile;
import dev.mailkit.passwd.PasswordScheme;
import dev.mailkit.testsupport.ExternalTool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code mailkit} command line: every command, its help, and one-line errors with the right exit status. */
class CliTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    private static Run run(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Cli.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** mailkit user add writes hashes that Dovecot's own doveadm verifies, and the server verifies. */
    @Test
    void usersAddedByTheCommandLineVerifyInDovecot() throws Exception {
        Path users = dir.resolve("users");
        // (mailkit-passwd's DoveadmInteropTest covers every scheme both ways; ARGON2ID, the default, costs most)
        for (String scheme : new String[] {"SHA512-CRYPT", "BLF-CRYPT", "SSHA512"}) {
            String user = scheme.toLowerCase() + "@local.test";
            Run r = run("pässwörd " + scheme + "\n", "user", "add", "--users-file", users.toString(), "--password-stdin",
                    "--scheme", scheme, user);
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.out()).isEqualTo("added " + user + " to " + users + "\n");
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(users))).isEqualTo("rw-------");
        for (PasswdFile.Entry e : PasswdFile.read(users)) {
            String scheme = PasswordScheme.check(e.password()).dovecotName();
            ExternalTool.Result v = ExternalTool.run(List.of(ExternalTool.require("doveadm").toString(), "pw", "-t",
                    e.password(), "-p", "pässwörd " + scheme), null, Duration.ofSeconds(30));
            assertThat(v.stdout).as(v.toString()).contains("(verified)");
        }
        Run list = run("", "user", "list", "--users-file", users.toString());
        assertThat(list.out()).isEqualTo("sha512-crypt@local.test  SHA512-CRYPT\nblf-crypt@local.test  BLF-CRYPT\n"
                + "ssha512@local.test  SSHA512\n");
        Run again = run("x\n", "user", "add", "--users-file", users.toString(), "--password-stdin", "--scheme",
                "SSHA512", "blf-crypt@local.test");
        assertThat(again.code()).isEqualTo(1);
        assertThat(again.err()).isEqualTo("mailkit: blf-crypt@local.test is already in " + users + " (line 2)\n");
        assertThat(run("new\n", "user", "passwd", "--users-file", users.toString(), "--password-stdin", "--scheme",
                "PBKDF2", "blf-crypt@local.test").code()).isZero();
        assertThat(PasswdFile.read(users).get(1).password()).startsWith("{PBKDF2}");
        assertThat(run("", "user", "delete", "--users-file", users.toString(), "sha512-crypt@local.test").out())
                .isEqualTo("deleted sha512-crypt@local.test from " + users + "\n");
        Run gone = run("", "user", "delete", "--users-file", users.toString(), "sha512-crypt@local.test");
        assertThat(gone.code()).isEqualTo(1);
        assertThat(gone.err()).isEqualTo("mailkit: sha512-crypt@local.test is not in " + users + "\n");
        Run noTerminal = run("", "user", "add", "--users-file", users.toString(), "x@local.test");
        assertThat(noTerminal.err()).isEqualTo("mailkit: no terminal to ask for the password: give --password-stdin\n");
        Run noFile = run("", "user", "list");
        assertThat(noFile.code()).isEqualTo(2);
        assertThat(noFile.err()).startsWith("mailkit: no users file: give --users-file FILE");
        Run badScheme = run("x\n", "user", "add", "--users-file", users.toString(), "--password-stdin", "--scheme",
                "MD5", "x@local.test");
        assertThat(badScheme.err()).isEqualTo("mailkit: unknown password scheme 'MD5': use one of SHA512-CRYPT, "
                + "BLF-CRYPT, ARGON2ID, PBKDF2, SSHA512\n");
    }

    @Test
    void dkimKeygenWritesAnOwnerOnlyKeyAndTheRecordThatGoesWithIt() throws Exception {
        Path key = dir.resolve("mk1.pem");
        Run r = run("", "dkim", "keygen", "--domain", "example.org", "--selector", "mk1", "--algorithm", "ed25519",
                "-o", key.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        DkimSigner s = DkimSigner.fromPem("example.org", "mk1", key);
        assertThat(r.out()).contains("mk1._domainkey.example.org. IN TXT \"" + s.dnsRecord().orElseThrow() + "\"");
        Run twice = run("", "dkim", "keygen", "--domain", "example.org", "--selector", "mk1", "-o", key.toString());
        assertThat(twice.code()).isEqualTo(1);
        assertThat(twice.err()).isEqualTo("mailkit: " + key + " exists: not overwritten\n");
    }

    @Test
    void everyCommandHasHelpAndTheShellGetsACompletionScript() {
        for (String[] c : new String[][] {{"--help"}, {"serve", "--help"}, {"user", "--help"}, {"user", "add", "--help"},
                {"queue", "--help"}, {"queue", "list", "--help"}, {"reload", "--help"}, {"import", "mbox", "--help"},
                {"import", "maildir", "--help"}, {"export", "--help"}, {"dkim", "keygen", "--help"}, {"diagnose", "--help"}}) {
            Run r = run("", c);
            assertThat(r.code()).as(String.join(" ", c)).isZero();
            assertThat(r.out()).as(String.join(" ", c)).startsWith("Usage: mailkit");
        }
        assertThat(run("", "serve", "--help").out()).contains("--smtp-port=N").contains("[file: smtp.port]")
                .contains("--config=FILE");
        Run completion = run("", "generate-completion");
        assertThat(completion.out()).contains("complete -F").contains("serve").contains("queue");
    }

    @Test
    void errorsAreOneLineWithTheRightExitStatusAndNeverAStackTrace() throws Exception {
        Run unknown = run("", "--smtp-prot", "25");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).startsWith("mailkit: Unknown options: '--smtp-prot', '25'\nUsage: mailkit serve");
        Path bad = Files.writeString(dir.resolve("bad.yaml"), "smtp:\n  port: 25x\n");
        Run config = run("", "serve", "--config", bad.toString());
        assertThat(config.code()).isEqualTo(2);
        assertThat(config.err()).isEqualTo("mailkit: " + bad + ":2: smtp.port: must be a port number 0..65535, was "
                + "'25x'\n");
        Run missing = run("", "--config", dir.resolve("nope.yaml").toString());
        assertThat(missing.err()).isEqualTo("mailkit: " + dir.resolve("nope.yaml") + ": no such file\n");
        Path users = Files.writeString(dir.resolve("users"), "ann@local.test:{SHA512-CRYPT}broken\n");
        Run badUsers = run("", "--users-file", users.toString(), "--data", dir.resolve("d").toString(), "--smtp-port",
                "0");
        assertThat(badUsers.code()).isEqualTo(1);
        assertThat(badUsers.err()).isEqualTo("mailkit: cannot start: " + users + ":1: ann@local.test: malformed "
                + "SHA512-CRYPT hash: a SHA512-CRYPT hash starts with $6$\n");
        Path key = Files.writeString(dir.resolve("k.pem"), "not a key");
        Run badKey = run("", "--tls-cert", key.toString(), "--tls-key", key.toString(), "--data",
                dir.resolve("d").toString());
        assertThat(badKey.code()).isEqualTo(1);
        assertThat(badKey.err()).startsWith("mailkit: cannot start: ").doesNotContain("\tat ").hasLineCount(1);
        Run queue = run("", "queue", "list", "--data", dir.toString());
        assertThat(queue.code()).isEqualTo(1);
        assertThat(queue.err()).isEqualTo("mailkit: no mailkit server is running with the data directory " + dir
                + " (no " + dir.resolve("control.sock") + ")\n");
        Run id = run("", "queue", "hold", "--data", dir.toString(), "x;rm -rf /");
        assertThat(id.err()).isEqualTo("mailkit: 'x;rm -rf /' is not a queue id\n");
    }
}
