package dev.mailkit.core.tls;

import dev.mailkit.core.internal.Der;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads PEM certificates and private keys: PKCS#8 ({@code PRIVATE KEY}, RSA, EC, Ed25519), PKCS#1
 * ({@code RSA PRIVATE KEY}) and SEC1 ({@code EC PRIVATE KEY}), as TLS certificates and DKIM keys come. Errors say
 * what was found and what is supported; {@code where} (a file name, say) is named in them. Stateless.
 */
public final class Pem {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)-----END \\1-----");

    private Pem() {
    }

    /** The certificates in PEM text, in order. */
    public static List<X509Certificate> certificates(String pem, String where) {
        List<X509Certificate> out = new ArrayList<>();
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            for (Block b : blocks(pem, where)) {
                if (b.type.equals("CERTIFICATE")) {
                    out.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(b.der)));
                }
            }
        } catch (CertificateException e) {
            throw new IllegalArgumentException(where + ": not a valid X.509 certificate: " + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(where + ": no '-----BEGIN CERTIFICATE-----' block found");
        }
        return out;
    }

    /** The first private key in PEM text. */
    public static PrivateKey privateKey(String pem, String where) {
        for (Block b : blocks(pem, where)) {
            switch (b.type) {
                case "PRIVATE KEY":
                    return pkcs8(b.der, where);
                case "RSA PRIVATE KEY":
                    return pkcs8(Der.sequence(Der.integer(0),
                            Der.sequence(Der.oid("1.2.840.113549.1.1.1"), Der.nullValue()),
                            Der.octetString(b.der)), where);
                case "EC PRIVATE KEY":
                    return pkcs8(sec1ToPkcs8(b.der, where), where);
                case "ENCRYPTED PRIVATE KEY":
                    throw new IllegalArgumentException(where + ": the private key is encrypted; decrypt it first "
                            + "(openssl pkcs8 -in key.pem -nocrypt -topk8 -out plain.pem) or use a PKCS12 file");
                default:
                    break;
            }
        }
        throw new IllegalArgumentException(where + ": no private key block found (supported: PRIVATE KEY, "
                + "RSA PRIVATE KEY, EC PRIVATE KEY)");
    }

    private static byte[] sec1ToPkcs8(byte[] sec1, String where) {
        try {
            String curve = null;
            for (Der.Element e : Der.read(sec1).children()) {
                if (e.tag == 0xA0) {
                    Der.Element oid = Der.read(e.value);
                    curve = Der.oidToString(oid.value);
                }
            }
            if (curve == null) {
                throw new IllegalArgumentException("the EC key names no curve");
            }
            return Der.sequence(Der.integer(0), Der.sequence(Der.oid("1.2.840.10045.2.1"), Der.oid(curve)),
                    Der.octetString(sec1));
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new IllegalArgumentException(where + ": malformed EC private key: " + e.getMessage(), e);
        }
    }

    private static PrivateKey pkcs8(byte[] der, String where) {
        GeneralSecurityException last = null;
        for (String alg : new String[] {"RSA", "EC", "Ed25519", "EdDSA", "RSASSA-PSS"}) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        throw new IllegalArgumentException(where + ": unsupported or malformed private key (RSA, EC and Ed25519 "
                + "are supported)" + (last == null ? "" : ": " + last.getMessage()), last);
    }

    /** Encodes DER bytes as a PEM block. */
    public static String encode(String type, byte[] der) {
        String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + b64 + "\n-----END " + type + "-----\n";
    }

    private static List<Block> blocks(String pem, String where) {
        List<Block> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(pem);
        while (m.find()) {
            try {
                out.add(new Block(m.group(1), Base64.getMimeDecoder().decode(m.group(2))));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": the base64 text of the '-----BEGIN " + m.group(1)
                        + "-----' block is damaged (" + e.getMessage() + "); copy the file again", e);
            }
        }
        return out;
    }

    private static final class Block {
        final String type;
        final byte[] der;

        Block(String type, byte[] der) {
            this.type = type;
            this.der = der;
        }
    }

    /**
     * Checks that the private key belongs to the certificate: a test signature made with the key must verify with the
     * certificate's public key (RSA, EC, Ed25519 and Ed448; other key types are not checked).
     *
     * @throws IllegalArgumentException if it does not
     */
    static void requireMatch(java.security.PrivateKey key, java.security.cert.X509Certificate certificate) {
        String algorithm;
        switch (key.getAlgorithm()) {
            case "RSA": algorithm = "SHA256withRSA"; break;
            case "EC": algorithm = "SHA256withECDSA"; break;
            case "Ed25519": case "Ed448": case "EdDSA": algorithm = key.getAlgorithm(); break;
            default: return;
        }
        boolean match;
        try {
            byte[] probe = new byte[32];
            new java.security.SecureRandom().nextBytes(probe);
            java.security.Signature sign = java.security.Signature.getInstance(algorithm);
            sign.initSign(key);
            sign.update(probe);
            byte[] sig = sign.sign();
            java.security.Signature verify = java.security.Signature.getInstance(algorithm);
            verify.initVerify(certificate.getPublicKey());
            verify.update(probe);
            match = verify.verify(sig);
        } catch (java.security.GeneralSecurityException e) {
            match = false;
        }
        if (!match) {
            throw new IllegalArgumentException("the private key does not belong to the certificate (" + key.getAlgorithm()
                    + " key, certificate for " + certificate.getSubjectX500Principal().getName() + ")");
        }
    }
}
