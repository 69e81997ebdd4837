package dev.mailkit.passwd;

import org.junit.jupiter.api.Test;

import java.security.SecureRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Known answers (the SHA-crypt specification's, hashes doveadm wrote) and malformed hashes. */
class PasswordSchemeTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void shaCryptSpecificationVectors() {
        assertThat(PasswordScheme.verify("Hello world!".toCharArray(), "{SHA512-CRYPT}$6$saltstring$svn8UoSVapNtMuq1"
                + "ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1")).isTrue();
        assertThat(PasswordScheme.verify("Hello world!".toCharArray(), "{SHA512-CRYPT}$6$rounds=10000$saltstringsaltst$"
                + "OW1/O6BYHV6BcXZu8QVeXbDWra3Oeqh0sbHbbMCVNSnCM/UrjmM0Dp8vOuZeHBy/YTBmSK6H9qs/y3RnOaw5v.")).isTrue();
        assertThat(PasswordScheme.verify("Hello world?".toCharArray(), "{SHA512-CRYPT}$6$saltstring$svn8UoSVapNtMuq1"
                + "ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1")).isFalse();
    }

    /** Hashes doveadm pw wrote (Dovecot 2.3.19) for the password "secret". */
    @Test
    void hashesDoveadmWroteVerify() {
        String[] stored = {
            "{SHA512-CRYPT}$6$d./f9AJPcDujxYWT$bFF4PDq9L8/8vjgCkartZ3d4Co12T7PAZUhdSgcD8e0d5Tf7XKa5F0e9XRH6VlQ7VTSDI/"
                    + "kSZtmLIDTuVGYOw.",
            "{BLF-CRYPT}$2y$05$Lebdho3CNtlrWXb8ijPs4OcrYuSkY9QFsx/N5kv9lgm.o2yiIpydO",
            "{ARGON2ID}$argon2id$v=19$m=65536,t=3,p=1$3cEAh6g99t/AjV21IeUODA$lhah8Ofze1AyWEhiLQnDosWWoBtlgQEa3VSlA9+C3ls",
            "{PBKDF2}$1$1pugmBAAzifj2Dh2$5000$36a32e3ab9e7a522ece94d76dd6ea884df3d956f",
            "{SSHA512}PZ7PMON9riu3upqWYEOW/9nAor+/eOVgZlxRMzmu2FnPRdyABUgldmG4rTb21bDrXZI0qVfDoW2ZlV3BY/TslxkO9tU="};
        for (String s : stored) {
            assertThat(PasswordScheme.verify("secret".toCharArray(), s)).as(s).isTrue();
            assertThat(PasswordScheme.verify("Secret".toCharArray(), s)).as(s).isFalse();
        }
    }

    @Test
    void everySchemeRoundTripsIncludingEmptyAndNonAsciiPasswords() {
        for (PasswordScheme s : PasswordScheme.values()) {
            // Argon2id at 64 MiB costs most: one password for it
            String[] passwords = s == PasswordScheme.ARGON2ID ? new String[] {"pässwörd ✓"}
                    : new String[] {"", "pässwörd ✓", "x".repeat(100)};
            for (String pw : passwords) {
                String h = s.hash(pw.toCharArray(), RANDOM);
                assertThat(h).startsWith("{" + s.dovecotName() + "}");
                assertThat(PasswordScheme.check(h)).isEqualTo(s);
                assertThat(PasswordScheme.verify(pw.toCharArray(), h)).as(s + " " + pw.length()).isTrue();
                assertThat(PasswordScheme.verify((pw + "!").toCharArray(), h)).as(s + " " + pw.length())
                        .isEqualTo(s == PasswordScheme.BLF_CRYPT && pw.length() >= 72); // bcrypt reads 72 bytes
            }
        }
    }

    @Test
    void malformedHashesAreRefusedWithTheReasonNeverTheHash() {
        String[][] bad = {
            {"nobraces", "starts with its scheme in braces"},
            {"{MD5}abc", "unknown password scheme 'MD5'"},
            {"{SHA512-CRYPT}$5$abc$def", "starts with $6$"},
            {"{SHA512-CRYPT}$6$salt$short", "86 characters"},
            {"{SHA512-CRYPT}$6$rounds=999999999$salt$" + "a".repeat(86), "more than 10000000"},
            {"{SHA512-CRYPT}$6$rounds=x$salt$" + "a".repeat(86), "rounds= needs a number"},
            {"{BLF-CRYPT}$2y$31$" + "a".repeat(53), "cost 31 is outside 4..16"},
            {"{BLF-CRYPT}$2x$10$" + "a".repeat(53), "$2x$ is not"},
            {"{BLF-CRYPT}$2y$10$" + "!".repeat(53), "characters of"},
            {"{ARGON2ID}$argon2id$v=19$m=4194304,t=3,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA", "m=4194304 is outside"},
            {"{ARGON2ID}$argon2id$v=16$m=65536,t=3,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA", "version 19"},
            {"{ARGON2ID}$argon2i$v=19$m=65536,t=3,p=1$c2FsdHNhbHQ$aGFzaA", "$argon2id$"},
            {"{ARGON2ID}$argon2id$v=19$m=65536,t=3,p=1$%%%$aGFzaA", "base64"},
            {"{PBKDF2}$1$salt$0$" + "0".repeat(40), "rounds 0 outside"},
            {"{PBKDF2}$1$salt$5000$xyz", "40 hexadecimal digits"},
            {"{SSHA512}c2hvcnQ=", "64 bytes of digest"},
            {"{SSHA512}not base64!", "base64"}};
        for (String[] b : bad) {
            assertThatThrownBy(() -> PasswordScheme.verify("pw".toCharArray(), b[0])).as(b[0])
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(b[1]);
        }
        assertThatThrownBy(() -> PasswordScheme.check("{SSHA512}" + "A".repeat(10_000)))
                .hasMessageContaining("salt of 1 to 256 bytes").message().hasSizeLessThan(200);
        assertThatThrownBy(() -> PasswordScheme.named("crypt")).hasMessageContaining("use one of SHA512-CRYPT");
    }
}
