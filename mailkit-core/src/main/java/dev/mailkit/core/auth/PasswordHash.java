package dev.mailkit.core.auth;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Salted PBKDF2-HMAC-SHA256 password hashes in the modular crypt form {@code $pbkdf2-sha256$<iterations>$<salt>$<hash>}
 * (salt and hash in unpadded base64), the form passlib and Dovecot's tooling understand. Comparison is constant time.
 *
 * <p>The default of 100 000 iterations costs tens of milliseconds per check here; throwaway test servers may use
 * fewer. Immutable and thread-safe.
 */
public final class PasswordHash {
    /** The default iteration count. */
    public static final int DEFAULT_ITERATIONS = 100_000;
    private static final String PREFIX = "$pbkdf2-sha256$";
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;

    private final int iterations;
    private final byte[] salt;
    private final byte[] hash;

    private PasswordHash(int iterations, byte[] salt, byte[] hash) {
        this.iterations = iterations;
        this.salt = salt;
        this.hash = hash;
    }

    /** Hashes a password with a fresh random salt. */
    public static PasswordHash create(char[] password, int iterations, SecureRandom random) {
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be at least 1, was " + iterations);
        }
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        return new PasswordHash(iterations, salt, derive(password, salt, iterations));
    }

    /**
     * A hash that no password matches (a random salt and a random value), whose check costs what a real one costs:
     * what a directory checks an unknown user's password against, so that unknown users and wrong passwords take
     * the same time. Made without a key derivation, so creating it is free.
     */
    public static PasswordHash unmatchable(int iterations, SecureRandom random) {
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be at least 1, was " + iterations);
        }
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] value = new byte[HASH_BYTES];
        random.nextBytes(value);
        return new PasswordHash(iterations, salt, value);
    }

    /**
     * Parses the modular crypt form.
     *
     * @throws IllegalArgumentException if the text is not a {@code $pbkdf2-sha256$} hash; the message shows the form
     */
    public static PasswordHash parse(String encoded) {
        if (!encoded.startsWith(PREFIX)) {
            throw new IllegalArgumentException("not a PBKDF2-SHA256 hash: expected $pbkdf2-sha256$<iterations>$<salt>$<hash>");
        }
        String[] parts = encoded.substring(PREFIX.length()).split("\\$");
        try {
            if (parts.length != 3) {
                throw new IllegalArgumentException("wrong number of fields");
            }
            int iterations = Integer.parseInt(parts[0]);
            byte[] salt = decode(parts[1]);
            byte[] hash = decode(parts[2]);
            if (iterations < 1 || salt.length == 0 || hash.length == 0) {
                throw new IllegalArgumentException("empty field");
            }
            return new PasswordHash(iterations, salt, hash);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed PBKDF2-SHA256 hash (" + e.getMessage()
                    + "): expected $pbkdf2-sha256$<iterations>$<salt>$<hash>", e);
        }
    }

    /** Whether the password matches, compared in constant time. */
    public boolean matches(char[] password) {
        return MessageDigest.isEqual(hash, derive(password, salt, iterations));
    }

    /** The modular crypt form. */
    public String encoded() {
        Base64.Encoder enc = Base64.getEncoder().withoutPadding();
        return PREFIX + iterations + "$" + enc.encodeToString(salt).replace('+', '.') + "$"
                + enc.encodeToString(hash).replace('+', '.');
    }

    /** The iteration count. */
    public int iterations() {
        return iterations;
    }

    @Override
    public String toString() {
        return "PasswordHash{pbkdf2-sha256, " + iterations + " iterations}";
    }

    private static byte[] decode(String s) {
        return Base64.getDecoder().decode(s.replace('.', '+'));
    }

    private static byte[] derive(char[] password, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(password.length == 0 ? new char[] {'\0'} : password, salt, iterations,
                HASH_BYTES * 8);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available in this JVM", e);
        } finally {
            spec.clearPassword();
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PasswordHash && ((PasswordHash) o).iterations == iterations
                && Arrays.equals(((PasswordHash) o).salt, salt) && Arrays.equals(((PasswordHash) o).hash, hash);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(hash);
    }
}
