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
    }

    /** The same settings with another TLS mode. */
    public ClientSettings withTls(RelayTls mode) {
        return new ClientSettings(heloName, connectTimeout, commandTimeout, dataTimeout, mode, verifying, opportunistic,
                authUser, authPassword, allowInsecureAuth);
    }
}
