package dev.mailkit.core;

import java.util.Objects;

/**
 * What a connection negotiated with TLS: protocol version (e.g. {@code TLSv1.3}) and cipher suite. Immutable.
 */
public final class TlsInfo {
    private final String protocol;
    private final String cipherSuite;

    /** Creates the record. */
    public TlsInfo(String protocol, String cipherSuite) {
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        this.cipherSuite = Objects.requireNonNull(cipherSuite, "cipherSuite");
    }

    /** The negotiated protocol, e.g. {@code TLSv1.3}. */
    public String protocol() {
        return protocol;
    }

    /** The negotiated cipher suite, e.g. {@code TLS_AES_128_GCM_SHA256}. */
    public String cipherSuite() {
        return cipherSuite;
    }

    @Override
    public String toString() {
        return protocol + " " + cipherSuite;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TlsInfo && ((TlsInfo) o).protocol.equals(protocol)
                && ((TlsInfo) o).cipherSuite.equals(cipherSuite);
    }

    @Override
    public int hashCode() {
        return protocol.hashCode() * 31 + cipherSuite.hashCode();
    }
}
