package dev.mailkit.passwd.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * SHA-512-crypt ({@code $6$}, Ulrich Drepper's "Unix crypt using SHA-256 and SHA-512", as glibc and libxcrypt
 * compute it): Dovecot's {@code SHA512-CRYPT}.
 */
public final class ShaCrypt {
    /** The rounds when the hash does not say. */
    public static final int DEFAULT_ROUNDS = 5000;
    /** Verifying more rounds than this is refused: a users file must not make one login cost minutes. */
    public static final int MAX_ROUNDS = 10_000_000;
    private static final int[][] ORDER = {
            {0, 21, 42}, {22, 43, 1}, {44, 2, 23}, {3, 24, 45}, {25, 46, 4}, {47, 5, 26}, {6, 27, 48},
            {28, 49, 7}, {50, 8, 29}, {9, 30, 51}, {31, 52, 10}, {53, 11, 32}, {12, 33, 54}, {34, 55, 13},
            {56, 14, 35}, {15, 36, 57}, {37, 58, 16}, {59, 17, 38}, {18, 39, 60}, {40, 61, 19}, {62, 20, 41}};

    private ShaCrypt() {
    }

    /** A new {@code $6$} hash with a random 16-character salt and the default rounds. */
    public static String hash(byte[] password, SecureRandom random) {
        StringBuilder salt = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            salt.append(Crypt64.CRYPT.charAt(random.nextInt(64)));
        }
        return crypt(password, "$6$" + salt);
    }

    /** Checks the form of a {@code $6$} hash; IllegalArgumentException says what is wrong. */
    public static void check(String hash) {
        Parsed p = parse(hash);
        String expectedTail = hash.substring(hash.lastIndexOf('$') + 1);
        if (expectedTail.length() != 86 || !Crypt64.isCrypt64(expectedTail)) {
            throw new IllegalArgumentException("the hash part must be 86 characters of ./0-9A-Za-z");
        }
        if (p.salt.isEmpty()) {
            throw new IllegalArgumentException("empty salt");
        }
    }

    /** Whether the password gives this hash (constant-time comparison). */
    public static boolean verify(byte[] password, String hash) {
        check(hash);
        String again = crypt(password, hash);
        return MessageDigest.isEqual(again.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                hash.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    private static final class Parsed {
        final int rounds;
        final boolean explicitRounds;
        final String salt;

        Parsed(int rounds, boolean explicitRounds, String salt) {
            this.rounds = rounds;
            this.explicitRounds = explicitRounds;
            this.salt = salt;
        }
    }

    private static Parsed parse(String setting) {
        if (!setting.startsWith("$6$")) {
            throw new IllegalArgumentException("a SHA512-CRYPT hash starts with $6$");
        }
        String rest = setting.substring(3);
        int rounds = DEFAULT_ROUNDS;
        boolean explicit = false;
        if (rest.startsWith("rounds=")) {
            int end = rest.indexOf('$');
            if (end < 0) {
                throw new IllegalArgumentException("rounds= without a following $");
            }
            String n = rest.substring(7, end);
            if (n.isEmpty() || n.length() > 10 || !n.chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException("rounds= needs a number");
            }
            long r = Long.parseLong(n);
            if (r > MAX_ROUNDS) {
                throw new IllegalArgumentException("rounds=" + r + " is more than " + MAX_ROUNDS);
            }
            rounds = (int) Math.max(1000, r);
            explicit = true;
            rest = rest.substring(end + 1);
        }
        int end = rest.indexOf('$');
        String salt = end < 0 ? rest : rest.substring(0, end);
        if (salt.length() > 16) {
            salt = salt.substring(0, 16);
        }
        return new Parsed(rounds, explicit, salt);
    }

    /** crypt(3) with a {@code $6$[rounds=N$]salt} setting (anything after the salt is ignored). */
    static String crypt(byte[] pw, String setting) {
        Parsed p = parse(setting);
        byte[] salt = p.salt.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        MessageDigest md = sha512();
        md.update(pw);
        md.update(salt);
        md.update(pw);
        byte[] b = md.digest();
        md.update(pw);
        md.update(salt);
        int cnt;
        for (cnt = pw.length; cnt > 64; cnt -= 64) {
            md.update(b, 0, 64);
        }
        md.update(b, 0, cnt);
        for (cnt = pw.length; cnt > 0; cnt >>= 1) {
            if ((cnt & 1) != 0) {
                md.update(b, 0, 64);
            } else {
                md.update(pw);
            }
        }
        byte[] a = md.digest();
        for (int i = 0; i < pw.length; i++) {
            md.update(pw);
        }
        byte[] dp = md.digest();
        byte[] pBytes = repeat(dp, pw.length);
        for (int i = 0; i < 16 + (a[0] & 0xff); i++) {
            md.update(salt);
        }
        byte[] ds = md.digest();
        byte[] sBytes = repeat(ds, salt.length);
        for (int i = 0; i < p.rounds; i++) {
            if ((i & 1) != 0) {
                md.update(pBytes);
            } else {
                md.update(a, 0, 64);
            }
            if (i % 3 != 0) {
                md.update(sBytes);
            }
            if (i % 7 != 0) {
                md.update(pBytes);
            }
            if ((i & 1) != 0) {
                md.update(a, 0, 64);
            } else {
                md.update(pBytes);
            }
            a = md.digest();
        }
        Arrays.fill(pBytes, (byte) 0);
        Arrays.fill(dp, (byte) 0);
        StringBuilder out = new StringBuilder("$6$");
        if (p.explicitRounds) {
            out.append("rounds=").append(p.rounds).append('$');
        }
        out.append(p.salt).append('$');
        for (int[] g : ORDER) {
            Crypt64.from24(out, a[g[0]], a[g[1]], a[g[2]], 4);
        }
        Crypt64.from24(out, 0, 0, a[63], 2);
        return out.toString();
    }

    private static byte[] repeat(byte[] block, int len) {
        byte[] out = new byte[len];
        for (int i = 0; i < len; i++) {
            out[i] = block[i % 64];
        }
        return out;
    }

    private static MessageDigest sha512() {
        try {
            return MessageDigest.getInstance("SHA-512");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-512 is not available in this JVM", e);
        }
    }
}
