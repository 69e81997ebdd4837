package dev.mailkit.acme.internal;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The challenge answers waiting for the CA: for HTTP-01 the key authorization of each token, for TLS-ALPN-01 the
 * {@code acme-tls/1} certificate of each domain. The issuer puts an answer in before it tells the CA to validate and
 * takes it out when the validation is over; the responders only read. Thread-safe.
 */
public final class Challenges {
    /** A TLS-ALPN-01 answer: the self-signed certificate with the acmeIdentifier extension, and its key. */
    public record AlpnAnswer(X509Certificate certificate, PrivateKey key) {
    }

    private final ConcurrentMap<String, String> http = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, AlpnAnswer> alpn = new ConcurrentHashMap<>();

    void putHttp(String token, String keyAuthorization) {
        http.put(token, keyAuthorization);
    }

    void removeHttp(String token) {
        http.remove(token);
    }

    /** The key authorization for an HTTP-01 token, while its validation is pending. */
    public Optional<String> http(String token) {
        return Optional.ofNullable(http.get(token));
    }

    void putAlpn(String domain, AlpnAnswer answer) {
        alpn.put(domain.toLowerCase(Locale.ROOT), answer);
    }

    void removeAlpn(String domain) {
        alpn.remove(domain.toLowerCase(Locale.ROOT));
    }

    /** The TLS-ALPN-01 certificate for a domain (the TLS client's SNI name), while its validation is pending. */
    public Optional<AlpnAnswer> alpn(String domain) {
        return domain == null ? Optional.empty() : Optional.ofNullable(alpn.get(domain.toLowerCase(Locale.ROOT)));
    }
}
