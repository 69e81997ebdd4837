package dev.mailkit.relay.internal;

import dev.mailkit.core.dns.DnsRecord;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Checks an MX host's certificate against its DNSSEC-authenticated TLSA records (RFC 7672 3, RFC 6698 2.1), in place
 * of the certificate authorities: DANE-EE(3) matches the server's own certificate (no name or expiry check, RFC 7672
 * 3.1.1); DANE-TA(2) matches a certificate of the chain the server sent, which must then sign its way down to the
 * server's certificate, and that certificate must name the MX host (RFC 7672 3.2.2). Selector 0 is the whole
 * certificate, 1 its public key (SubjectPublicKeyInfo); matching type 0 is the data itself, 1 SHA-256, 2 SHA-512. Which
 * record matched, or why none did, is kept for the delivery's report. One per connection.
 */
final class DaneTrust extends X509ExtendedTrustManager {
    private final List<DnsRecord.Tlsa> records;
    private final String host;
    private final String tlsaName;
    private volatile String result = "no TLS handshake";

    DaneTrust(List<DnsRecord.Tlsa> records, String host, String tlsaName) {
        this.records = records;
        this.host = host;
        this.tlsaName = tlsaName;
    }

    /** Whether the relay can use a record (RFC 7672 3: only DANE-TA and DANE-EE, known selectors and types). */
    static boolean usable(DnsRecord.Tlsa r) {
        return (r.usage() == 2 || r.usage() == 3) && (r.selector() == 0 || r.selector() == 1)
                && r.matchingType() >= 0 && r.matchingType() <= 2;
    }

    /** A client TLS context that trusts what the records vouch for. */
    SSLContext context() {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {this}, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What matched, or why nothing did. */
    String result() {
        return result;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        result = check(chain);
        if (!result.startsWith("matched")) {
            throw new CertificateException("DANE: " + result);
        }
    }

    private String check(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length == 0) {
            return "the server sent no certificate";
        }
        for (DnsRecord.Tlsa r : records) {
            if (r.usage() == 3 && matches(r, chain[0])) {
                return "matched TLSA " + shown(r) + " (DANE-EE) with the server certificate";
            }
        }
        for (DnsRecord.Tlsa r : records) {
            if (r.usage() != 2) {
                continue;
            }
            for (int i = 0; i < chain.length; i++) {
                if (matches(r, chain[i]) && signedDown(chain, i)) {
                    if (!names(chain[0], host)) {
                        return "the certificate is anchored by TLSA " + shown(r) + " but does not name " + host;
                    }
                    return "matched TLSA " + shown(r) + " (DANE-TA) with " + (i == 0 ? "the server certificate"
                            : "the chain's certificate " + i) + ", which names " + host;
                }
            }
        }
        return "no TLSA record of " + tlsaName + " matches the certificate chain ("
                + records.stream().map(DaneTrust::shown).toList() + ")";
    }

    private static boolean matches(DnsRecord.Tlsa r, X509Certificate cert) throws CertificateException {
        byte[] selected = r.selector() == 0 ? cert.getEncoded() : cert.getPublicKey().getEncoded();
        try {
            byte[] data = switch (r.matchingType()) {
                case 0 -> selected;
                case 1 -> MessageDigest.getInstance("SHA-256").digest(selected);
                case 2 -> MessageDigest.getInstance("SHA-512").digest(selected);
                default -> null;
            };
            return data != null && MessageDigest.isEqual(data, r.data());
        } catch (GeneralSecurityException e) {
            throw new CertificateException(e);
        }
    }

    /** Whether each certificate below {@code anchor} in the chain is signed by the one above it. */
    private static boolean signedDown(X509Certificate[] chain, int anchor) {
        for (int i = anchor; i > 0; i--) {
            try {
                chain[i - 1].verify(chain[i].getPublicKey());
            } catch (GeneralSecurityException e) {
                return false;
            }
        }
        return true;
    }

    /** Whether a certificate names the host: a DNS subject alternative name, a wildcard for one leftmost label. */
    static boolean names(X509Certificate cert, String host) {
        String h = host.toLowerCase(Locale.ROOT);
        try {
            if (cert.getSubjectAlternativeNames() == null) {
                return false;
            }
            for (List<?> san : cert.getSubjectAlternativeNames()) {
                if (Integer.valueOf(2).equals(san.get(0))) {
                    String n = String.valueOf(san.get(1)).toLowerCase(Locale.ROOT);
                    int dot = h.indexOf('.');
                    if (n.equals(h) || n.startsWith("*.") && dot > 0 && h.substring(dot + 1).equals(n.substring(2))) {
                        return true;
                    }
                }
            }
        } catch (CertificateParsingException e) {
            return false;
        }
        return false;
    }

    private static String shown(DnsRecord.Tlsa r) {
        String hex = HexFormat.of().formatHex(r.data());
        return r.usage() + " " + r.selector() + " " + r.matchingType() + " "
                + (hex.length() > 16 ? hex.substring(0, 16) + "..." : hex);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("a relay client does not check clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }

    @Override
    public String toString() {
        return "DaneTrust{" + host + " " + Arrays.toString(records.toArray()) + "}";
    }
}
