package dev.mailkit.acme.internal;

import dev.mailkit.core.tls.Pem;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Key pairs as mailkit keeps them: EC P-256, written as PEM (PKCS#8 {@code PRIVATE KEY}, then the X.509
 * {@code PUBLIC KEY}, so the pair reads back without deriving anything). JDK only. Stateless.
 */
public final class KeyFiles {
    private static final Pattern PUBLIC = Pattern.compile(
            "-----BEGIN PUBLIC KEY-----\\s*([A-Za-z0-9+/=\\s]*?)-----END PUBLIC KEY-----");

    private KeyFiles() {
    }

    /** A new EC P-256 key pair. */
    public static KeyPair generate() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot make EC P-256 keys: " + e.getMessage(), e);
        }
    }

    /**
     * A new RSA 2048 key pair, for the TLS-ALPN-01 certificate (acme4j signs that certificate with SHA256withRSA
     * only).
     */
    public static KeyPair generateRsa() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot make RSA keys: " + e.getMessage(), e);
        }
    }

    /** The pair as PEM text: private key, then public key. */
    public static String encode(KeyPair pair) {
        return Pem.encode("PRIVATE KEY", pair.getPrivate().getEncoded())
                + Pem.encode("PUBLIC KEY", pair.getPublic().getEncoded());
    }

    /**
     * The pair from {@link #encode} text.
     *
     * @throws IllegalArgumentException naming {@code where} if either key is missing or unreadable
     */
    public static KeyPair decode(String pem, String where) {
        PrivateKey key = Pem.privateKey(pem, where);
        Matcher m = PUBLIC.matcher(pem);
        if (!m.find()) {
            throw new IllegalArgumentException(where + ": no '-----BEGIN PUBLIC KEY-----' block found");
        }
        try {
            PublicKey pub = KeyFactory.getInstance(key.getAlgorithm())
                    .generatePublic(new X509EncodedKeySpec(Base64.getMimeDecoder().decode(m.group(1))));
            return new KeyPair(pub, key);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": unreadable public key: " + e.getMessage(), e);
        }
    }
}
