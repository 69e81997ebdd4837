package dev.mailkit.core.dns;

/**
 * The DNS record types mailkit asks for (RFC 1035, RFC 3596, RFC 6698). Each maps to one {@link DnsRecord} kind.
 */
public enum DnsType {
    /** An IPv4 address ({@link DnsRecord.Address}). */
    A(1),
    /** A host name a reverse-lookup name points to ({@link DnsRecord.Ptr}). */
    PTR(12),
    /** A mail exchanger ({@link DnsRecord.Mx}). */
    MX(15),
    /** Text: SPF, DKIM keys, DMARC policies, blocklist reasons ({@link DnsRecord.Txt}). */
    TXT(16),
    /** An IPv6 address ({@link DnsRecord.Address}). */
    AAAA(28),
    /** A TLS certificate association for DANE ({@link DnsRecord.Tlsa}). */
    TLSA(52);

    private final int code;

    DnsType(int code) {
        this.code = code;
    }

    /** The numeric type code (RFC 1035 3.2.2 and later registrations). */
    public int code() {
        return code;
    }
}
