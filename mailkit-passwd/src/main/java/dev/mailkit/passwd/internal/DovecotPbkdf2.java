package dev.mailkit.passwd.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Dovecot's {@code PBKDF2}: {@code $1$SALT$ROUNDS$HEX}, PBKDF2-HMAC-SHA1 of 20 bytes, the salt's characters used as
 * they are (not decoded), as Dovecot's {@code password-scheme-pbkdf2.c} writes it.
 */
public final class DovecotPbkdf2 {
    /** Dovecot's default. */
    public static final int DEFAULT_ROUNDS = 5000;
    /** Verifying more rounds than this is refused. */
    public static final int MAX_ROUNDS = 10_000_000;

    private DovecotPbkdf2() {
    }

    /** A new hash with a 16-character salt. */
    public static String hash(byte[] password, int rounds, SecureRandom random) {
        StringBuilder salt = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            salt.append(Crypt64.BCRYPT.charAt(2 + random.nextInt(62))); // letters and digits
        }
        return "$1$" + salt + "$" + rounds + "$" + HexFormat.of().formatHex(derive(password, salt.toString(), rounds));
    }

    /** Checks the form; IllegalArgumentException says what is wrong. */
    public static void check(String hash) {
        parse(hash);
    }

    /** Whether the password gives this hash (constant-time comparison). */
    public static boolean verify(byte[] password, String hash) {
        String[] f = parse(hash);
        byte[] expected = HexFormat.of().parseHex(f[4]);
        return MessageDigest.isEqual(expected, derive(password, f[2], Integer.parseInt(f[3])));
    }

    private static String[] parse(String hash) {
        String[] f = hash.split("\\$", -1);
        if (f.length != 5 || !f[0].isEmpty() || !f[1].equals("1")) {
            throw new IllegalArgumentException("a PBKDF2 hash is $1$SALT$ROUNDS$HEX");
        }
        if (f[2].isEmpty() || f[2].length() > 64) {
            throw new IllegalArgumentException("the salt must be 1 to 64 characters");
        }
        if (f[3].isEmpty() || f[3].length() > 9 || !f[3].chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("the rounds must be a number");
        }
        int rounds = Integer.parseInt(f[3]);
        if (rounds < 1 || rounds > MAX_ROUNDS) {
            throw new IllegalArgumentException("rounds " + rounds + " outside 1.." + MAX_ROUNDS);
        }
        if (f[4].length() != 40 || !f[4].chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new IllegalArgumentException("the hash must be 40 hexadecimal digits");
        }
        return f;
    }

    /** PBKDF2-HMAC-SHA1 with one block (20 bytes). The password may be empty, which the JDK's PBEKeySpec refuses. */
    private static byte[] derive(byte[] password, String salt, int rounds) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(password.length == 0 ? new byte[1] : password, "HmacSHA1"));
            if (password.length == 0) {
                // HMAC pads a key with zeros: a one-byte zero key is the same key as the empty one
                mac.init(new SecretKeySpec(new byte[1], "HmacSHA1"));
            }
            mac.update(salt.getBytes(StandardCharsets.UTF_8));
            mac.update(new byte[] {0, 0, 0, 1});
            byte[] u = mac.doFinal();
            byte[] t = u.clone();
            for (int i = 1; i < rounds; i++) {
                u = mac.doFinal(u);
                for (int j = 0; j < t.length; j++) {
                    t[j] ^= u[j];
                }
            }
            return t;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is not available in this JVM", e);
        }
    }
}
