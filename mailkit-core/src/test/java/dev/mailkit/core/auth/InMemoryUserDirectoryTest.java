package dev.mailkit.core.auth;

import dev.mailkit.core.MailAddress;
import dev.mailkit.core.MailAddressException;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InMemoryUserDirectoryTest {
    @Test
    void authenticatesCaseInsensitiveNamesAndFindsOwners() {
        InMemoryUserDirectory dir = InMemoryUserDirectory.builder().passwordHashIterations(1000)
                .user("alice@example.test", "s3cret")
                .user("bob", "bob@example.test", "pw")
                .build();
        assertThat(dir.authenticate("ALICE@example.test", "s3cret".toCharArray())).get()
                .extracting(MailUser::username).isEqualTo("alice@example.test");
        assertThat(dir.authenticate("alice@example.test", "S3cret".toCharArray())).isEmpty();
        assertThat(dir.authenticate("nobody@example.test", "s3cret".toCharArray())).isEmpty();
        assertThat(dir.authenticate("bob", "pw".toCharArray())).isPresent();
        assertThat(dir.findByAddress(MailAddress.parse("Bob@Example.Test"))).get().extracting(MailUser::username)
                .isEqualTo("bob");
        assertThat(dir.findByAddress(MailAddress.parse("carol@example.test"))).isEmpty();
        assertThat(dir.removeUser("bob")).isTrue();
        assertThat(dir.findByAddress(MailAddress.parse("bob@example.test"))).isEmpty();
        dir.addUser("carol@example.test", "x");
        assertThat(dir.authenticate("carol@example.test", "x".toCharArray())).isPresent();
    }

    /** Only salted hashes are kept: no field anywhere in the directory holds the password text. */
    @Test
    void passwordsAreStoredOnlyAsSaltedHashes() throws Exception {
        InMemoryUserDirectory dir = InMemoryUserDirectory.builder().passwordHashIterations(1000)
                .user("a@example.test", "correct horse").user("b@example.test", "correct horse").build();
        Field f = InMemoryUserDirectory.class.getDeclaredField("byUsername");
        f.setAccessible(true);
        Map<?, ?> entries = (Map<?, ?>) f.get(dir);
        java.util.Set<String> encodings = new java.util.HashSet<>();
        for (Object e : entries.values()) {
            Field h = e.getClass().getDeclaredField("hash");
            h.setAccessible(true);
            PasswordHash hash = (PasswordHash) h.get(e);
            assertThat(hash.encoded()).startsWith("$pbkdf2-sha256$1000$").doesNotContain("correct");
            encodings.add(hash.encoded());
        }
        assertThat(encodings).as("same password, different salts").hasSize(2);
        assertThat(dir.toString()).doesNotContain("correct");
    }

    @Test
    void hashesRoundTripAndMalformedOnesAreExplained() {
        PasswordHash h = PasswordHash.create("pw".toCharArray(), 1000, new java.security.SecureRandom());
        PasswordHash back = PasswordHash.parse(h.encoded());
        assertThat(back.matches("pw".toCharArray())).isTrue();
        assertThat(back.matches("px".toCharArray())).isFalse();
        assertThat(back).isEqualTo(h);
        InMemoryUserDirectory dir = InMemoryUserDirectory.builder().userWithHash("u", "u@example.test", h.encoded())
                .build();
        assertThat(dir.authenticate("u", "pw".toCharArray())).isPresent();
        assertThatThrownBy(() -> PasswordHash.parse("{PLAIN}pw")).hasMessageContaining("$pbkdf2-sha256$");
        assertThatThrownBy(() -> PasswordHash.parse("$pbkdf2-sha256$x$y")).hasMessageContaining("malformed");
    }

    @Test
    void badUsersAreRefusedAtBuildTime() {
        assertThatThrownBy(() -> InMemoryUserDirectory.builder().user("not an address", "pw"))
                .isInstanceOf(MailAddressException.class);
        assertThatThrownBy(() -> InMemoryUserDirectory.builder().user("a\r\nb", "a@example.test", "pw").build())
                .hasMessageContaining("control characters");
    }

    /** The stand-in for unknown users matches nothing and is checked at the real cost, but is free to make. */
    @Test
    void theUnknownUsersStandInMatchesNoPasswordAndCostsAKeyDerivationToCheck() {
        java.security.SecureRandom random = new java.security.SecureRandom();
        PasswordHash unmatchable = PasswordHash.unmatchable(1000, random);
        assertThat(unmatchable.iterations()).isEqualTo(1000);
        assertThat(unmatchable.matches("".toCharArray())).isFalse();
        assertThat(unmatchable.matches("not a real password".toCharArray())).isFalse();
        PasswordHash parsed = PasswordHash.parse(unmatchable.encoded());
        assertThat(parsed.encoded()).isEqualTo(unmatchable.encoded());
        assertThat(PasswordHash.unmatchable(1000, random).encoded()).isNotEqualTo(unmatchable.encoded());
    }

    /** Successful logins are remembered; wrong passwords and changed passwords are never answered from memory. */
    @Test
    void remembersSuccessesButNeverFailuresOrOldPasswords() {
        InMemoryUserDirectory dir = InMemoryUserDirectory.builder().passwordHashIterations(1000)
                .user("alice@example.test", "old").build();
        VerificationCache cache = dir.verificationCache();
        assertThat(dir.authenticate("alice@example.test", "wrong".toCharArray())).isEmpty();
        assertThat(cache.size()).as("failures are not remembered").isZero();
        assertThat(dir.authenticate("alice@example.test", "old".toCharArray())).isPresent();
        assertThat(cache.size()).isEqualTo(1);
        assertThat(dir.authenticate("alice@example.test", "old".toCharArray())).isPresent();
        assertThat(dir.authenticate("alice@example.test", "wrong".toCharArray())).isEmpty();
        dir.addUser("alice@example.test", "new"); // a password change
        assertThat(dir.authenticate("alice@example.test", "old".toCharArray())).as("the old password").isEmpty();
        assertThat(dir.authenticate("alice@example.test", "new".toCharArray())).isPresent();
        dir.removeUser("alice@example.test");
        assertThat(dir.authenticate("alice@example.test", "new".toCharArray())).as("a removed user").isEmpty();
    }

    @Test
    void aDisabledCacheDerivesEveryTime() {
        InMemoryUserDirectory dir = InMemoryUserDirectory.builder().passwordHashIterations(1000)
                .verificationCache(VerificationCache.disabled()).user("a@example.test", "pw").build();
        assertThat(dir.authenticate("a@example.test", "pw".toCharArray())).isPresent();
        assertThat(dir.verificationCache().size()).isZero();
    }
}
