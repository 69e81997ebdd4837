package dev.mailkit.relay.internal;

import dev.mailkit.relay.RelayTls;

import java.time.Duration;
import javax.net.ssl.SSLContext;

/** What the SMTP client needs for one destination: names, timeouts, TLS and AUTH. Immutable. */
public final class ClientSettings {
    public final String heloName;
    public final Duration connectTimeout;
    public final Duration commandTimeout;
    public final Duration dataTimeout;
    public final RelayTls tls;
    /** Verifies certificates and host names (for {@link RelayTls#REQUIRED}). */
    public final SSLContext verifying;
    /** Accepts any certificate (opportunistic TLS). */
    public final SSLContext opportunistic;
    public final String authUser;
    public final char[] authPassword;
    public final boolean allowInsecureAuth;
    /**
     * Whether the certificate must name the host (set on the handshake); true for {@link RelayTls#REQUIRED} unless a
     * DANE-EE check replaces it, and for MTA-STS testing, whose context only records the result.
     */
    public final boolean checkName;

    public ClientSettings(String heloName, Duration connectTimeout, Duration commandTimeout, Duration dataTimeout,
                          RelayTls tls, SSLContext verifying, SSLContext opportunistic, String authUser,
                          char[] authPassword, boolean allowInsecureAuth) {
        this.heloName = heloName;
        this.connectTimeout = connectTimeout;
        this.commandTimeout = commandTimeout;
        this.dataTimeout = dataTimeout;
        this.tls = tls;
        this.verifying = verifying;
        this.opportunistic = opportunistic;
        this.authUser = authUser;
        this.authPassword = authPassword;
        this.allowInsecureAuth = allowInsecureAuth;
        this.checkName = tls == RelayTls.REQUIRED;
    }

    private ClientSettings(ClientSettings o, RelayTls tls, SSLContext verifying, SSLContext opportunistic,
                           boolean checkName) {
        this.heloName = o.heloName;
        this.connectTimeout = o.connectTimeout;
        this.commandTimeout = o.commandTimeout;
        this.dataTimeout = o.dataTimeout;
        this.tls = tls;
        this.verifying = verifying;
        this.opportunistic = opportunistic;
        this.authUser = o.authUser;
        this.authPassword = o.authPassword;
        this.allowInsecureAuth = o.allowInsecureAuth;
        this.checkName = checkName;
    }

    /** The same settings with another TLS mode. */
    public ClientSettings withTls(RelayTls mode) {
        return new ClientSettings(this, mode, verifying, opportunistic, mode == RelayTls.REQUIRED);
    }

    /** The same settings with other TLS contexts: for DANE and MTA-STS, whose checks are per connection. */
    public ClientSettings withTls(RelayTls mode, SSLContext verifying, SSLContext opportunistic, boolean checkName) {
        return new ClientSettings(this, mode, verifying, opportunistic, checkName);
    }
}
