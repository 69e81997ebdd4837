package dev.mailkit.spring;

import java.time.Duration;

/**
 * What the IMAP and POP3 servers share ({@code mailkit.imap.*}, {@code mailkit.pop3.*}): both serve the mailbox
 * store to the users of the user directory.
 */
public abstract class MailboxServerProperties {
    /** Start this server with the application. */
    private boolean enabled;

    /** The plain port, with STARTTLS (STLS for POP3) when mailkit.tls is set (0: a free port). */
    private int port = 0;

    /** A port with implicit TLS (IMAPS, POP3S; 0: a free port); needs mailkit.tls. */
    private Integer implicitTlsPort;

    /** Refuse logins until TLS is active (default: true when mailkit.tls is set). */
    private Boolean requireTlsForLogin;

    /** The most connections at once. */
    private int maxConnections = 1000;

    /** The most connections at once from one client address. */
    private int maxConnectionsPerAddress = 100;

    /** How long a client may take to log in. */
    private Duration loginTimeout = Duration.ofMinutes(1);

    /** How long a logged-in client may stay silent. */
    private Duration idleTimeout;

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public int getPort() {
        return port;
    }

    public void setPort(int port) {
        this.port = port;
    }

    public Integer getImplicitTlsPort() {
        return implicitTlsPort;
    }

    public void setImplicitTlsPort(Integer implicitTlsPort) {
        this.implicitTlsPort = implicitTlsPort;
    }

    public Boolean getRequireTlsForLogin() {
        return requireTlsForLogin;
    }

    public void setRequireTlsForLogin(Boolean requireTlsForLogin) {
        this.requireTlsForLogin = requireTlsForLogin;
    }

    public int getMaxConnections() {
        return maxConnections;
    }

    public void setMaxConnections(int maxConnections) {
        this.maxConnections = maxConnections;
    }

    public int getMaxConnectionsPerAddress() {
        return maxConnectionsPerAddress;
    }

    public void setMaxConnectionsPerAddress(int maxConnectionsPerAddress) {
        this.maxConnectionsPerAddress = maxConnectionsPerAddress;
    }

    public Duration getLoginTimeout() {
        return loginTimeout;
    }

    public void setLoginTimeout(Duration loginTimeout) {
        this.loginTimeout = loginTimeout;
    }

    public Duration getIdleTimeout() {
        return idleTimeout;
    }

    public void setIdleTimeout(Duration idleTimeout) {
        this.idleTimeout = idleTimeout;
    }
}
