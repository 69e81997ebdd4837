package dev.mailkit.passwd;

import dev.mailkit.core.MailAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PasswdFileUserDirectoryTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    Path dir;

    /** A clock the test moves. */
    static final class TestClock extends Clock {
        final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-01T00:00:00Z"));

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        void advance(Duration d) {
            now.updateAndGet(i -> i.plus(d));
        }
    }

    @Test
    void readsDovecotLinesWithTheirExtraFieldsAndComments() throws Exception {
        Path f = dir.resolve("users");
        Files.writeString(f, "# mail users\n\nann@example.test:" + PasswordScheme.SSHA512.hash("a".toCharArray(), RANDOM)
                + ":1000:1000::/home/ann::userdb_quota_rule=*:storage=1G\r\n"
                + "Bob@Example.test:" + PasswordScheme.PBKDF2.hash("b".toCharArray(), RANDOM) + "\n");
        PasswdFileUserDirectory d = PasswdFileUserDirectory.builder(f).build();
        assertThat(d.size()).isEqualTo(2);
        assertThat(d.authenticate("ann@example.test", "a".toCharArray())).isPresent();
        assertThat(d.authenticate("bob@example.test", "b".toCharArray())).get().extracting(u -> u.username())
                .isEqualTo("Bob@Example.test");
        assertThat(d.authenticate("bob@example.test", "a".toCharArray())).isEmpty();
        assertThat(d.authenticate("nobody@example.test", "a".toCharArray())).isEmpty();
        assertThat(d.findByAddress(MailAddress.parse("ANN@example.test"))).isPresent();
        assertThat(d.findByUsername("nobody@example.test")).isEmpty();
    }

    @Test
    void editsKeepOtherLinesAndTakeEffectWithoutARestart() throws Exception {
        Path f = dir.resolve("users");
        Files.writeString(f, "# keep me\nann@example.test:" + PasswordScheme.SSHA512.hash("a".toCharArray(), RANDOM)
                + ":1000:1000::/home/ann::quota=1\n");
        TestClock clock = new TestClock();
        PasswdFileUserDirectory d = PasswdFileUserDirectory.builder(f).clock(clock).build();
        PasswdFile.put(f, "bob@example.test", PasswordScheme.SHA512_CRYPT.hash("b".toCharArray(), RANDOM), false);
        PasswdFile.put(f, "ann@example.test", PasswordScheme.SHA512_CRYPT.hash("new".toCharArray(), RANDOM), true);
        String text = Files.readString(f);
        assertThat(text).startsWith("# keep me\nann@example.test:{SHA512-CRYPT}$6$").contains(":1000:1000::/home/ann::quota=1\n")
                .contains("\nbob@example.test:{SHA512-CRYPT}");
        assertThatThrownBy(() -> PasswdFile.put(f, "bob@example.test", PasswordScheme.SSHA512.hash(new char[0], RANDOM),
                false)).hasMessageContaining("bob@example.test is already in").hasMessageContaining("(line 3)");
        assertThatThrownBy(() -> PasswdFile.put(f, "carl@example.test", PasswordScheme.SSHA512.hash(new char[0], RANDOM),
                true)).hasMessageContaining("carl@example.test is not in");
        clock.advance(Duration.ofSeconds(2)); // the next lookup looks at the file again
        assertThat(d.authenticate("bob@example.test", "b".toCharArray())).isPresent();
        assertThat(d.authenticate("ann@example.test", "new".toCharArray())).isPresent();
        assertThat(d.authenticate("ann@example.test", "a".toCharArray())).isEmpty();
        assertThat(PasswdFile.remove(f, "bob@example.test")).isTrue();
        assertThat(PasswdFile.remove(f, "bob@example.test")).isFalse();
        assertThat(d.reload()).isTrue();
        assertThat(d.findByUsername("bob@example.test")).isEmpty();
    }

    @Test
    void aNewFileIsOwnerOnly() throws Exception {
        Path f = dir.resolve("new-users");
        PasswdFile.put(f, "ann@example.test", PasswordScheme.SSHA512.hash("a".toCharArray(), RANDOM), false);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
    }

    @Test
    void theCacheSparesTheDerivationOnlyForTheSamePasswordAndForgetsAChangedOne() throws Exception {
        Path f = dir.resolve("users");
        PasswdFile.put(f, "ann@example.test", PasswordScheme.BLF_CRYPT.hash("right".toCharArray(), RANDOM), false);
        TestClock clock = new TestClock();
        PasswdFileUserDirectory d = PasswdFileUserDirectory.builder(f).clock(clock)
                .verificationCache(Duration.ofSeconds(60), 100).build();
        assertThat(d.authenticate("ann@example.test", "right".toCharArray())).isPresent();
        assertThat(d.derivations()).isEqualTo(1);
        for (int i = 0; i < 5; i++) {
            assertThat(d.authenticate("ANN@example.test", "right".toCharArray())).isPresent();
        }
        assertThat(d.derivations()).as("remembered successes cost no bcrypt").isEqualTo(1);
        // a wrong password is never answered from the cache: each costs the full derivation
        assertThat(d.authenticate("ann@example.test", "wrong".toCharArray())).isEmpty();
        assertThat(d.authenticate("ann@example.test", "wrong".toCharArray())).isEmpty();
        assertThat(d.derivations()).isEqualTo(3);
        // a password change: the old password stops working at once, although it is remembered
        PasswdFile.put(f, "ann@example.test", PasswordScheme.BLF_CRYPT.hash("changed".toCharArray(), RANDOM), true);
        clock.advance(Duration.ofSeconds(2));
        assertThat(d.authenticate("ann@example.test", "right".toCharArray())).isEmpty();
        assertThat(d.derivations()).isEqualTo(4);
        assertThat(d.authenticate("ann@example.test", "changed".toCharArray())).isPresent();
        assertThat(d.authenticate("ann@example.test", "changed".toCharArray())).isPresent();
        assertThat(d.derivations()).isEqualTo(5);
        // and a success is remembered for its time to live only
        clock.advance(Duration.ofSeconds(61));
        assertThat(d.authenticate("ann@example.test", "changed".toCharArray())).isPresent();
        assertThat(d.derivations()).isEqualTo(6);
    }

    @Test
    void theCacheIsBounded() throws Exception {
        Path f = dir.resolve("users");
        for (int i = 0; i < 5; i++) {
            PasswdFile.put(f, "u" + i + "@example.test", PasswordScheme.SSHA512.hash(("p" + i).toCharArray(), RANDOM),
                    false);
        }
        PasswdFileUserDirectory d = PasswdFileUserDirectory.builder(f).verificationCache(Duration.ofMinutes(1), 2)
                .build();
        for (int i = 0; i < 5; i++) {
            assertThat(d.authenticate("u" + i + "@example.test", ("p" + i).toCharArray())).isPresent();
        }
        assertThat(d.authenticate("u4@example.test", "p4".toCharArray())).isPresent(); // kept: among the last two
        assertThat(d.derivations()).isEqualTo(5);
        assertThat(d.authenticate("u0@example.test", "p0".toCharArray())).isPresent(); // pushed out
        assertThat(d.derivations()).isEqualTo(6);
        PasswdFileUserDirectory off = PasswdFileUserDirectory.builder(f).verificationCache(Duration.ofMinutes(1), 0)
                .build();
        off.authenticate("u1@example.test", "p1".toCharArray());
        off.authenticate("u1@example.test", "p1".toCharArray());
        assertThat(off.derivations()).isEqualTo(2);
        assertThatThrownBy(() -> PasswdFileUserDirectory.builder(f).verificationCache(Duration.ofDays(2), 5).build())
                .hasMessage("verificationCache ttl must be above zero and under a day, was PT48H");
    }

    @Test
    void hostileFilesAreRefusedNamingFileAndLine() throws Exception {
        String ok = "ann@example.test:" + PasswordScheme.SSHA512.hash("a".toCharArray(), RANDOM) + "\n";
        String[][] bad = {
            {ok + "ann@example.test:" + PasswordScheme.SSHA512.hash("b".toCharArray(), RANDOM), ":2: ann@example.test is "
                    + "already on line 1"},
            {ok + "not an address:{SSHA512}x", ":2: the user 'not an address' is not a mail address"},
            {ok + "x@example.test:secret-in-plain-text", ":2: x@example.test: a password hash starts with its scheme"},
            {ok + "x@example.test:{PLAIN}secret", ":2: x@example.test: unknown password scheme 'PLAIN'"},
            {ok + "x@example.test:{SSHA512}abc\u0000def", ":2: control character (code 0)"},
            {"x@example.test:{SSHA512}" + "A".repeat(PasswdFile.MAX_LINE), ":1: the line is longer than 8192"},
            {"nocolon", ":1: expected user:{SCHEME}hash"},
            {ok + "x@example.test:{BLF-CRYPT}$2y$31$" + "a".repeat(53), ":2: x@example.test: malformed BLF-CRYPT hash: "
                    + "bcrypt cost 31 is outside 4..16"}};
        Path f = dir.resolve("users");
        for (String[] b : bad) {
            Files.writeString(f, b[0]);
            assertThatThrownBy(() -> PasswdFileUserDirectory.builder(f).build()).as(b[1])
                    .hasMessageStartingWith(f + b[1])
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret"));
        }
        Files.write(f, new byte[] {'a', '@', 'b', ':', (byte) 0xff});
        assertThatThrownBy(() -> PasswdFileUserDirectory.builder(f).build()).hasMessage(f + ": not UTF-8 text");
        assertThatThrownBy(() -> PasswdFileUserDirectory.builder(dir.resolve("missing")).build())
                .hasMessage(dir.resolve("missing") + ": no such file");
    }

    @Test
    void aFileThatBecameBadKeepsTheUsersReadBefore() throws Exception {
        Path f = dir.resolve("users");
        Files.writeString(f, "ann@example.test:" + PasswordScheme.SSHA512.hash("a".toCharArray(), RANDOM) + "\n");
        TestClock clock = new TestClock();
        PasswdFileUserDirectory d = PasswdFileUserDirectory.builder(f).clock(clock).build();
        Files.writeString(f, "garbage without a colon\n");
        clock.advance(Duration.ofSeconds(2));
        assertThat(d.authenticate("ann@example.test", "a".toCharArray())).isPresent();
        assertThatThrownBy(d::reload).hasMessage(f + ":1: expected user:{SCHEME}hash[:uid:gid:gecos:home:shell:extra]");
        assertThat(d.size()).isEqualTo(1);
    }
}
