package dev.mailkit.acme;

/**
 * How the ACME server checks that this server controls the domains (RFC 8555 section 8). Both are answered by
 * mailkit itself, on a port of its own that the CA connects to.
 */
public enum ChallengeType {
    /**
     * HTTP-01 (RFC 8555 8.3): the CA fetches {@code http://DOMAIN/.well-known/acme-challenge/TOKEN} on port 80;
     * mailkit answers on {@link AcmeCertificates.Builder#httpPort(int)}.
     */
    HTTP_01("http-01"),
    /**
     * TLS-ALPN-01 (RFC 8737): the CA opens TLS to DOMAIN on port 443 offering only the {@code acme-tls/1} protocol and
     * checks a certificate made for the challenge; mailkit answers on {@link AcmeCertificates.Builder#tlsAlpnPort(int)}.
     */
    TLS_ALPN_01("tls-alpn-01");

    private final String token;

    ChallengeType(String token) {
        this.token = token;
    }

    /** The name RFC 8555's registry gives the challenge: {@code http-01} or {@code tls-alpn-01}. */
    public String token() {
        return token;
    }

    /**
     * The challenge type of an RFC name, as written in a configuration file.
     *
     * @throws IllegalArgumentException for any other name, listing the allowed ones
     */
    public static ChallengeType of(String name) {
        for (ChallengeType t : values()) {
            if (t.token.equalsIgnoreCase(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown ACME challenge '" + name + "': use http-01 or tls-alpn-01");
    }
}
