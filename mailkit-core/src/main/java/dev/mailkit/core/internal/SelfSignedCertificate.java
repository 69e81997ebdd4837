package dev.mailkit.core.internal;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Generates a self-signed X.509 v3 certificate with an EC P-256 key (fast to generate, accepted by every TLS client
 * mailkit is tested with), for the given host names and IP addresses. Written with the JDK's own crypto and a tiny
 * DER encoder so that servers start without loading a crypto library.
 */
public final class SelfSignedCertificate {
    private static final String OID_EC_SHA256 = "1.2.840.10045.4.3.2";
    private static final String OID_CN = "2.5.4.3";
    private static final String OID_ORG = "2.5.4.10";
    private static final String OID_SAN = "2.5.29.17";
    private static final String OID_BASIC_CONSTRAINTS = "2.5.29.19";
    private static final String OID_KEY_USAGE = "2.5.29.15";
    private static final String OID_EXT_KEY_USAGE = "2.5.29.37";
    private static final String OID_SKI = "2.5.29.14";
    private static final String OID_AKI = "2.5.29.35";
    private static final String OID_SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String OID_CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    private final KeyPair keyPair;
    private final X509Certificate certificate;

    private SelfSignedCertificate(KeyPair keyPair, X509Certificate certificate) {
        this.keyPair = keyPair;
        this.certificate = certificate;
    }

    public KeyPair keyPair() {
        return keyPair;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /**
     * Generates a certificate valid from an hour ago for {@code validDays}, naming each of {@code names} as a DNS name
     * or, when it is an IP literal, as an IP address.
     */
    public static SelfSignedCertificate generate(List<String> names, int validDays, SecureRandom random) {
        try {
            KeyPairGenerator kpg = KeyPairGenerator.getInstance("EC");
            kpg.initialize(new ECGenParameterSpec("secp256r1"), random);
            KeyPair kp = kpg.generateKeyPair();

            byte[] spki = kp.getPublic().getEncoded();
            byte[] keyId = Arrays.copyOf(MessageDigest.getInstance("SHA-1").digest(subjectPublicKey(spki)), 20);
            byte[] serial = new byte[16];
            random.nextBytes(serial);
            serial[0] &= 0x7F;
            serial[0] |= 0x01;

            String cn = names.isEmpty() ? "localhost" : names.get(0);
            byte[] name = Der.sequence(
                    Der.set(Der.sequence(Der.oid(OID_ORG), Der.utf8String("mailkit generated certificate"))),
                    Der.set(Der.sequence(Der.oid(OID_CN), Der.utf8String(cn))));
            byte[] sigAlg = Der.sequence(Der.oid(OID_EC_SHA256));
            ZonedDateTime now = ZonedDateTime.now();

            List<byte[]> generalNames = new ArrayList<>();
            for (String n : names) {
                byte[] ip = ipLiteral(n);
                generalNames.add(ip != null ? Der.implicitPrimitive(7, ip)
                        : Der.implicitPrimitive(2, n.getBytes(StandardCharsets.US_ASCII)));
            }
            byte[] extensions = Der.sequence(
                    extension(OID_BASIC_CONSTRAINTS, true, Der.sequence(Der.bool(true), Der.integer(0))),
                    // digitalSignature (bit 0) and keyCertSign (bit 5): 1000 0100, 2 unused bits
                    extension(OID_KEY_USAGE, true, Der.tlv(Der.BIT_STRING, new byte[] {2, (byte) 0x84})),
                    extension(OID_EXT_KEY_USAGE, false,
                            Der.sequence(Der.oid(OID_SERVER_AUTH), Der.oid(OID_CLIENT_AUTH))),
                    extension(OID_SAN, false, Der.sequence(generalNames.toArray(new byte[0][]))),
                    extension(OID_SKI, false, Der.octetString(keyId)),
                    extension(OID_AKI, false, Der.sequence(Der.implicitPrimitive(0, keyId))));

            byte[] tbs = Der.sequence(
                    Der.explicit(0, Der.integer(2)),
                    Der.integer(new BigInteger(serial)),
                    sigAlg,
                    name,
                    Der.sequence(Der.time(now.minusHours(1)), Der.time(now.plusDays(validDays))),
                    name,
                    spki,
                    Der.explicit(3, extensions));

            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(kp.getPrivate(), random);
            signer.update(tbs);
            byte[] cert = Der.sequence(tbs, sigAlg, Der.bitString(signer.sign()));
            X509Certificate x509 = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(cert));
            return new SelfSignedCertificate(kp, x509);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a self-signed certificate: " + e.getMessage(), e);
        }
    }

    private static byte[] extension(String oid, boolean critical, byte[] value) {
        return critical ? Der.sequence(Der.oid(oid), Der.bool(true), Der.octetString(value))
                : Der.sequence(Der.oid(oid), Der.octetString(value));
    }

    /** The raw key bits of a SubjectPublicKeyInfo, for the key identifier (RFC 5280 4.2.1.2 method 1). */
    private static byte[] subjectPublicKey(byte[] spki) {
        List<Der.Element> parts = Der.read(spki).children();
        byte[] bits = parts.get(1).value;
        return Arrays.copyOfRange(bits, 1, bits.length);
    }

    private static byte[] ipLiteral(String s) {
        boolean v4 = s.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean v6 = s.contains(":") && s.matches("[0-9A-Fa-f:.]+");
        if (!v4 && !v6) {
            return null;
        }
        try {
            return InetAddress.getByName(s).getAddress(); // a literal: no DNS lookup
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
