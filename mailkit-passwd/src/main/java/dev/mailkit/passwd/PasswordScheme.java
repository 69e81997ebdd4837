package dev.mailkit.passwd;

import dev.mailkit.passwd.internal.Argon2id;
import dev.mailkit.passwd.internal.BlfCrypt;
import dev.mailkit.passwd.internal.DovecotPbkdf2;
import dev.mailkit.passwd.internal.ShaCrypt;
import dev.mailkit.passwd.internal.Ssha512;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The password schemes of Dovecot's passwd-file that mailkit writes and verifies, in Dovecot's form
 * {@code {SCHEME}hash}: what {@code doveadm pw -s SCHEME} writes verifies here, and what {@link #hash} writes verifies
 * in Dovecot. Passwords are hashed as their UTF-8 bytes.
 *
 * <p>Verification refuses parameters that would make one login a denial of service (bcrypt cost above 16, Argon2 memory
 * above 1 GiB, more than ten million rounds): such a stored hash is malformed ({@link #check}).
 */
public enum PasswordScheme {
    /** SHA-512-crypt ({@code $6$}), 5000 rounds: the glibc crypt(3) hash. */
    SHA512_CRYPT("SHA512-CRYPT"),
    /** bcrypt ({@code $2y$}), cost 10 when written by mailkit. */
    BLF_CRYPT("BLF-CRYPT"),
    /** Argon2id, 64 MiB, 3 passes, 1 lane (Dovecot's and libsodium's moderate setting). */
    ARGON2ID("ARGON2ID"),
    /** Dovecot's PBKDF2-HMAC-SHA1, 5000 rounds. */
    PBKDF2("PBKDF2"),
    /** Salted SHA-512 (one round: prefer the others for new passwords). */
    SSHA512("SSHA512");

    private final String dovecotName;

    PasswordScheme(String dovecotName) {
        this.dovecotName = dovecotName;
    }

    /** Dovecot's name of the scheme, as between the braces. */
    public String dovecotName() {
        return dovecotName;
    }

    /**
     * The scheme of a Dovecot name, ignoring case ({@code sha512-crypt}, {@code ARGON2ID}, ...).
     *
     * @throws IllegalArgumentException naming the schemes there are
     */
    public static PasswordScheme named(String name) {
        for (PasswordScheme s : values()) {
            if (s.dovecotName.equalsIgnoreCase(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown password scheme '" + name + "': use one of "
                + "SHA512-CRYPT, BLF-CRYPT, ARGON2ID, PBKDF2, SSHA512");
    }

    /** The scheme a stored {@code {SCHEME}hash} names, if it is one of these. */
    public static Optional<PasswordScheme> of(String stored) {
        if (!stored.startsWith("{")) {
            return Optional.empty();
        }
        int end = stored.indexOf('}');
        if (end < 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(named(stored.substring(1, end)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Hashes a password with a fresh salt, in Dovecot's {@code {SCHEME}hash} form. */
    public String hash(char[] password, SecureRandom random) {
        byte[] pw = utf8(password);
        try {
            String h;
            switch (this) {
                case SHA512_CRYPT: h = ShaCrypt.hash(pw, random); break;
                case BLF_CRYPT: h = BlfCrypt.hash(pw, BlfCrypt.DEFAULT_COST, random); break;
                case ARGON2ID: h = Argon2id.hash(pw, Argon2id.DEFAULT_MEMORY_KIB, Argon2id.DEFAULT_PASSES, random); break;
                case PBKDF2: h = DovecotPbkdf2.hash(pw, DovecotPbkdf2.DEFAULT_ROUNDS, random); break;
                case SSHA512: h = Ssha512.hash(pw, random); break;
                default: throw new IllegalStateException(name());
            }
            return "{" + dovecotName + "}" + h;
        } finally {
            Arrays.fill(pw, (byte) 0);
        }
    }

    /**
     * Checks that a stored {@code {SCHEME}hash} is one of these schemes and well formed, without a password.
     *
     * @throws IllegalArgumentException saying what is wrong (never echoing the hash)
     */
    public static PasswordScheme check(String stored) {
        PasswordScheme s = schemeOf(stored);
        String h = stored.substring(stored.indexOf('}') + 1);
        try {
            switch (s) {
                case SHA512_CRYPT: ShaCrypt.check(h); break;
                case BLF_CRYPT: BlfCrypt.check(h); break;
                case ARGON2ID: Argon2id.check(h); break;
                case PBKDF2: DovecotPbkdf2.check(h); break;
                case SSHA512: Ssha512.check(h); break;
                default: throw new IllegalStateException(s.name());
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed " + s.dovecotName + " hash: " + e.getMessage(), e);
        }
        return s;
    }

    /**
     * Whether the password matches a stored {@code {SCHEME}hash}. Comparison is constant time.
     *
     * @throws IllegalArgumentException if the stored text is not a well-formed hash of these schemes
     */
    public static boolean verify(char[] password, String stored) {
        PasswordScheme s = check(stored);
        String h = stored.substring(stored.indexOf('}') + 1);
        byte[] pw = utf8(password);
        try {
            switch (s) {
                case SHA512_CRYPT: return ShaCrypt.verify(pw, h);
                case BLF_CRYPT: return BlfCrypt.verify(pw, h);
                case ARGON2ID: return Argon2id.verify(pw, h);
                case PBKDF2: return DovecotPbkdf2.verify(pw, h);
                case SSHA512: return Ssha512.verify(pw, h);
                default: throw new IllegalStateException(s.name());
            }
        } finally {
            Arrays.fill(pw, (byte) 0);
        }
    }

    private static PasswordScheme schemeOf(String stored) {
        if (stored == null || !stored.startsWith("{") || stored.indexOf('}') < 2) {
            throw new IllegalArgumentException("a password hash starts with its scheme in braces, e.g. {SHA512-CRYPT}");
        }
        String name = stored.substring(1, stored.indexOf('}'));
        if (name.length() > 32 || !name.chars().allMatch(c -> c > 32 && c < 127)) {
            throw new IllegalArgumentException("a password hash starts with its scheme in braces, e.g. {SHA512-CRYPT}");
        }
        return named(name.toUpperCase(Locale.ROOT));
    }

    private static byte[] utf8(char[] password) {
        ByteBuffer b = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] out = new byte[b.remaining()];
        b.get(out);
        if (b.hasArray()) {
            Arrays.fill(b.array(), (byte) 0);
        }
        return out;
    }
}
