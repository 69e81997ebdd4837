package dev.mailkit.passwd.internal;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * Argon2id in the PHC string form libsodium and Dovecot write: {@code $argon2id$v=19$m=KIB,t=PASSES,p=LANES$SALT$HASH}
 * (salt and hash in unpadded base64): Dovecot's {@code ARGON2ID}. The function itself is Bouncy Castle's.
 */
public final class Argon2id {
    /** Dovecot's and libsodium's moderate parameters: 64 MiB, 3 passes, 1 lane. */
    public static final int DEFAULT_MEMORY_KIB = 65536;
    /** See {@link #DEFAULT_MEMORY_KIB}. */
    public static final int DEFAULT_PASSES = 3;
    /** Verifying with more memory than this (1 GiB) is refused. */
    public static final int MAX_MEMORY_KIB = 1 << 20;
    /** Verifying with more passes than this is refused. */
    public static final int MAX_PASSES = 64;

    private Argon2id() {
    }

    /** A new hash with a 16-byte salt and a 32-byte output. */
    public static String hash(byte[] password, int memoryKib, int passes, SecureRandom random) {
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        Parsed p = new Parsed(memoryKib, passes, 1, salt, new byte[32]);
        check(p);
        return format(p, derive(password, p, 32));
    }

    /** Checks the form of an Argon2id string; IllegalArgumentException says what is wrong. */
    public static void check(String hash) {
        check(parse(hash));
    }

    /** Whether the password gives this hash (constant-time comparison). */
    public static boolean verify(byte[] password, String hash) {
        Parsed p = parse(hash);
        check(p);
        return MessageDigest.isEqual(p.hash, derive(password, p, p.hash.length));
    }

    private static final class Parsed {
        final int memoryKib;
        final int passes;
        final int lanes;
        final byte[] salt;
        final byte[] hash;

        Parsed(int memoryKib, int passes, int lanes, byte[] salt, byte[] hash) {
            this.memoryKib = memoryKib;
            this.passes = passes;
            this.lanes = lanes;
            this.salt = salt;
            this.hash = hash;
        }
    }

    private static void check(Parsed p) {
        if (p.lanes < 1 || p.lanes > 16) {
            throw new IllegalArgumentException("p=" + p.lanes + " is outside 1..16");
        }
        if (p.memoryKib < 8 * p.lanes || p.memoryKib > MAX_MEMORY_KIB) {
            throw new IllegalArgumentException("m=" + p.memoryKib + " is outside " + 8 * p.lanes + ".." + MAX_MEMORY_KIB
                    + " KiB");
        }
        if (p.passes < 1 || p.passes > MAX_PASSES) {
            throw new IllegalArgumentException("t=" + p.passes + " is outside 1.." + MAX_PASSES);
        }
        if (p.salt.length < 8 || p.salt.length > 64) {
            throw new IllegalArgumentException("the salt must be 8 to 64 bytes");
        }
        if (p.hash.length < 16 || p.hash.length > 64) {
            throw new IllegalArgumentException("the hash must be 16 to 64 bytes");
        }
    }

    private static Parsed parse(String hash) {
        String[] f = hash.split("\\$", -1);
        // "", "argon2id", "v=19", "m=..,t=..,p=..", salt, hash
        if (f.length != 6 || !f[0].isEmpty() || !f[1].equals("argon2id")) {
            throw new IllegalArgumentException("an ARGON2ID hash is $argon2id$v=19$m=KIB,t=N,p=N$SALT$HASH");
        }
        if (!f[2].equals("v=19")) {
            throw new IllegalArgumentException("only Argon2 version 19 (v=19) is supported, was '" + f[2] + "'");
        }
        int m = -1;
        int t = -1;
        int p = -1;
        String[] params = f[3].split(",", -1);
        if (params.length != 3) {
            throw new IllegalArgumentException("the parameters are m=KIB,t=N,p=N");
        }
        for (String kv : params) {
            int eq = kv.indexOf('=');
            String v = eq < 0 ? "" : kv.substring(eq + 1);
            if (v.isEmpty() || v.length() > 9 || !v.chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException("the parameters are m=KIB,t=N,p=N, was '" + f[3] + "'");
            }
            int n = Integer.parseInt(v);
            switch (kv.substring(0, eq)) {
                case "m": m = n; break;
                case "t": t = n; break;
                case "p": p = n; break;
                default: throw new IllegalArgumentException("unknown parameter '" + kv + "'");
            }
        }
        if (m < 0 || t < 0 || p < 0) {
            throw new IllegalArgumentException("the parameters are m=KIB,t=N,p=N, was '" + f[3] + "'");
        }
        try {
            Base64.Decoder d = Base64.getDecoder();
            return new Parsed(m, t, p, d.decode(f[4]), d.decode(f[5]));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("salt and hash must be base64: " + e.getMessage(), e);
        }
    }

    private static byte[] derive(byte[] password, Parsed p, int len) {
        Argon2BytesGenerator g = new Argon2BytesGenerator();
        g.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id).withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(p.memoryKib).withIterations(p.passes).withParallelism(p.lanes).withSalt(p.salt).build());
        byte[] out = new byte[len];
        byte[] pw = Arrays.copyOf(password, password.length);
        g.generateBytes(pw, out);
        Arrays.fill(pw, (byte) 0);
        return out;
    }

    private static String format(Parsed p, byte[] hash) {
        Base64.Encoder e = Base64.getEncoder().withoutPadding();
        return "$argon2id$v=19$m=" + p.memoryKib + ",t=" + p.passes + ",p=" + p.lanes + "$" + e.encodeToString(p.salt)
                + "$" + new String(e.encode(hash), StandardCharsets.US_ASCII);
    }
}
