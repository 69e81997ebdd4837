package dev.mailkit.relay;

/**
 * How the relay uses TLS towards a destination (a recipient domain's mail exchangers, or a smart host).
 *
 * <p>The default for MX delivery is {@link #OPPORTUNISTIC}, as with Postfix's {@code smtp_tls_security_level=may}:
 * encryption whenever the server offers it, without checking its certificate (most MX certificates would not pass),
 * so a passive eavesdropper learns nothing while delivery never fails for want of TLS.
 */
public enum RelayTls {
    /** Never use STARTTLS, even when offered (for peers whose TLS is broken). */
    DISABLED,
    /**
     * STARTTLS whenever the server offers it, certificate not verified; plaintext when it is not offered. A failed
     * handshake counts as a failed connection (the next address is tried, then the delivery is deferred).
     */
    OPPORTUNISTIC,
    /**
     * STARTTLS is required and the certificate must be valid for the host name connected to (the MX host name or the
     * smart host's name) and trusted by the relay's trust store. Otherwise the delivery is deferred with a
     * {@code 4.7.5} reason; nothing is sent in plaintext.
     */
    REQUIRED
}
