package dev.mailkit.passwd.internal;

import org.bouncycastle.crypto.generators.BCrypt;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * bcrypt ({@code $2y$}, {@code $2b$}, {@code $2a$}: OpenBSD's Blowfish crypt as libxcrypt computes it): Dovecot's
 * {@code BLF-CRYPT}. The password's UTF-8 bytes and a terminating NUL, cut at 72 bytes, as OpenBSD does. The
 * Blowfish rounds are Bouncy Castle's.
 */
public final class BlfCrypt {
    /** The cost written by default (2^10 rounds; Dovecot's doveadm writes 5). */
    public static final int DEFAULT_COST = 10;
    /** Verifying a higher cost is refused: cost 17 is already seconds per login. */
    public static final int MAX_COST = 16;

    private BlfCrypt() {
    }

    /** A new {@code $2y$} hash. */
    public static String hash(byte[] password, int cost, SecureRandom random) {
        if (cost < 4 || cost > MAX_COST) {
            throw new IllegalArgumentException("bcrypt cost must be 4.." + MAX_COST + ", was " + cost);
        }
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        return encode("2y", cost, salt, password);
    }

    /** Checks the form of a bcrypt hash; IllegalArgumentException says what is wrong. */
    public static void check(String hash) {
        parse(hash);
    }

    /** Whether the password gives this hash (constant-time comparison). */
    public static boolean verify(byte[] password, String hash) {
        Parsed p = parse(hash);
        String again = encode(p.version, p.cost, p.salt, password);
        return MessageDigest.isEqual(again.getBytes(StandardCharsets.US_ASCII), hash.getBytes(StandardCharsets.US_ASCII));
    }

    private static final class Parsed {
        final String version;
        final int cost;
        final byte[] salt;

        Parsed(String version, int cost, byte[] salt) {
            this.version = version;
            this.cost = cost;
            this.salt = salt;
        }
    }

    private static Parsed parse(String hash) {
        // $2y$NN$ + 22 characters of salt + 31 of hash
        if (hash.length() != 60 || hash.charAt(0) != '$' || hash.charAt(1) != '2' || hash.charAt(3) != '$'
                || hash.charAt(6) != '$') {
            throw new IllegalArgumentException("a BLF-CRYPT hash is $2y$NN$ and 53 characters (60 in all)");
        }
        String version = hash.substring(1, 3);
        if (!version.equals("2y") && !version.equals("2b") && !version.equals("2a")) {
            throw new IllegalArgumentException("bcrypt version $" + version + "$ is not $2y$, $2b$ or $2a$");
        }
        String c = hash.substring(4, 6);
        if (!Character.isDigit(c.charAt(0)) || !Character.isDigit(c.charAt(1))) {
            throw new IllegalArgumentException("bcrypt cost '" + c + "' is not two digits");
        }
        int cost = Integer.parseInt(c);
        if (cost < 4 || cost > MAX_COST) {
            throw new IllegalArgumentException("bcrypt cost " + cost + " is outside 4.." + MAX_COST);
        }
        String rest = hash.substring(7);
        if (!Crypt64.isCrypt64(rest)) {
            throw new IllegalArgumentException("salt and hash must be characters of ./A-Za-z0-9");
        }
        return new Parsed(version, cost, Crypt64.bcryptDecode(rest.substring(0, 22), 16));
    }

    private static String encode(String version, int cost, byte[] salt, byte[] password) {
        byte[] key = Arrays.copyOf(password, Math.min(password.length + 1, 72)); // NUL-terminated, at most 72
        byte[] out = BCrypt.generate(key, salt, cost);
        Arrays.fill(key, (byte) 0);
        return "$" + version + "$" + (cost < 10 ? "0" : "") + cost + "$" + Crypt64.bcryptEncode(salt, 16)
                + Crypt64.bcryptEncode(out, 23);
    }
}
