package dev.mailkit.passwd.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/** Dovecot's {@code SSHA512}: base64 of SHA-512(password + salt) followed by the salt. */
public final class Ssha512 {
    private Ssha512() {
    }

    /** A new hash with an 8-byte salt. */
    public static String hash(byte[] password, SecureRandom random) {
        byte[] salt = new byte[8];
        random.nextBytes(salt);
        byte[] d = digest(password, salt);
        byte[] all = Arrays.copyOf(d, 64 + salt.length);
        System.arraycopy(salt, 0, all, 64, salt.length);
        return Base64.getEncoder().encodeToString(all);
    }

    /** Checks the form; IllegalArgumentException says what is wrong. */
    public static void check(String hash) {
        decode(hash);
    }

    /** Whether the password gives this hash (constant-time comparison). */
    public static boolean verify(byte[] password, String hash) {
        byte[] all = decode(hash);
        byte[] salt = Arrays.copyOfRange(all, 64, all.length);
        return MessageDigest.isEqual(Arrays.copyOf(all, 64), digest(password, salt));
    }

    private static byte[] decode(String hash) {
        byte[] all;
        try {
            all = Base64.getDecoder().decode(hash);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("an SSHA512 hash is base64: " + e.getMessage(), e);
        }
        if (all.length <= 64 || all.length > 64 + 256) {
            throw new IllegalArgumentException("an SSHA512 hash is 64 bytes of digest and a salt of 1 to 256 bytes");
        }
        return all;
    }

    private static byte[] digest(byte[] password, byte[] salt) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-512");
            md.update(password);
            md.update(salt);
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-512 is not available in this JVM", e);
        }
    }
}
