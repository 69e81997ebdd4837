package dev.mailkit.relay;

import dev.mailkit.core.Arguments;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A smart host: one server (Postfix's {@code relayhost}) that takes all outgoing mail instead of the recipients' mail
 * exchangers, typically a provider's submission service with AUTH. Its name is resolved to addresses (A/AAAA, no MX
 * lookup); an IP address is used as it is.
 *
 * <p>Defaults: port 587, {@link RelayTls#OPPORTUNISTIC} TLS, no AUTH. With AUTH, the password is sent only over TLS
 * (so AUTH needs STARTTLS to succeed) unless {@link Builder#allowInsecureAuth()} is set. Immutable and thread-safe.
 */
public final class SmartHost {
    private final String host;
    private final int port;
    private final RelayTls tls;
    private final String username;
    private final char[] password;
    private final boolean allowInsecureAuth;

    private SmartHost(Builder b) {
        this.host = b.host;
        this.port = b.port;
        this.tls = b.tls;
        this.username = b.username;
        this.password = b.password == null ? null : b.password.clone();
        this.allowInsecureAuth = b.allowInsecureAuth;
    }

    /** A builder for the given host name or IP address and port. */
    public static Builder builder(String host, int port) {
        return new Builder(host, port);
    }

    /**
     * Parses {@code host:port}, {@code [ipv6]:port} or {@code host} (port 587) into a builder.
     *
     * @throws IllegalArgumentException if the text is not of that form; the message says why
     */
    public static Builder parse(String hostAndPort) {
        Objects.requireNonNull(hostAndPort, "hostAndPort");
        String s = hostAndPort.trim();
        String host;
        String port = null;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("'" + hostAndPort + "': missing ']' after the IPv6 address");
            }
            host = s.substring(1, close);
            if (close + 1 < s.length()) {
                if (s.charAt(close + 1) != ':') {
                    throw new IllegalArgumentException("'" + hostAndPort + "': expected ':PORT' after ']'");
                }
                port = s.substring(close + 2);
            }
        } else {
            int colon = s.lastIndexOf(':');
            if (colon >= 0 && s.indexOf(':') != colon) {
                throw new IllegalArgumentException("'" + hostAndPort + "': write an IPv6 address as [ADDRESS]:PORT");
            }
            host = colon < 0 ? s : s.substring(0, colon);
            port = colon < 0 ? null : s.substring(colon + 1);
        }
        int p = 587;
        if (port != null) {
            try {
                p = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + hostAndPort + "': the port '" + port + "' is not a number");
            }
        }
        return builder(host, p);
    }

    /** The host name or IP address. */
    public String host() {
        return host;
    }

    /** The port. */
    public int port() {
        return port;
    }

    /** How TLS is used. */
    public RelayTls tls() {
        return tls;
    }

    /** The AUTH user name, if AUTH is configured. */
    public Optional<String> username() {
        return Optional.ofNullable(username);
    }

    /** A copy of the AUTH password (empty array without AUTH). */
    public char[] password() {
        return password == null ? new char[0] : password.clone();
    }

    /** Whether AUTH may happen without TLS. */
    public boolean allowInsecureAuth() {
        return allowInsecureAuth;
    }

    /** {@code host:port} (IPv6 addresses in brackets). */
    public String address() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public String toString() {
        return "SmartHost{" + address() + ", tls " + tls.name().toLowerCase(Locale.ROOT)
                + (username == null ? "" : ", AUTH as " + username) + "}";
    }

    /** Builds a {@link SmartHost}. Not thread-safe. */
    public static final class Builder {
        private final String host;
        private final int port;
        private RelayTls tls = RelayTls.OPPORTUNISTIC;
        private String username;
        private char[] password;
        private boolean allowInsecureAuth;

        private Builder(String host, int port) {
            Objects.requireNonNull(host, "host");
            if (host.isEmpty() || host.chars().anyMatch(c -> c <= 32 || c >= 127 || c == '/' || c == '@')) {
                throw new IllegalArgumentException("'" + host + "' is not a host name or IP address");
            }
            this.host = host;
            this.port = Arguments.remotePort(port, "smart host port");
        }

        /** How TLS is used (default {@link RelayTls#OPPORTUNISTIC}). */
        public Builder tls(RelayTls tls) {
            this.tls = Objects.requireNonNull(tls, "tls");
            return this;
        }

        /** Authenticates with AUTH PLAIN (or LOGIN when PLAIN is not offered). */
        public Builder auth(String username, char[] password) {
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(password, "password");
            if (username.isEmpty() || username.chars().anyMatch(c -> c < 32 || c == 127)) {
                throw new IllegalArgumentException("the AUTH user name must be non-empty without control characters");
            }
            this.username = username;
            this.password = password.clone();
            return this;
        }

        /** Authenticates with AUTH PLAIN (or LOGIN when PLAIN is not offered). */
        public Builder auth(String username, String password) {
            return auth(username, Objects.requireNonNull(password, "password").toCharArray());
        }

        /** Allows AUTH without TLS. Only for tests and trusted networks: the password crosses the network in clear. */
        public Builder allowInsecureAuth() {
            this.allowInsecureAuth = true;
            return this;
        }

        /**
         * Builds the smart host.
         *
         * @throws IllegalStateException if AUTH is configured with TLS disabled and insecure AUTH was not allowed
         */
        public SmartHost build() {
            if (username != null && tls == RelayTls.DISABLED && !allowInsecureAuth) {
                throw new IllegalStateException("AUTH with TLS disabled would send the password in clear: use "
                        + "tls(OPPORTUNISTIC or REQUIRED), or allowInsecureAuth() for tests");
            }
            return new SmartHost(this);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SmartHost && ((SmartHost) o).address().equals(address())
                && ((SmartHost) o).tls == tls && Objects.equals(((SmartHost) o).username, username)
                && Arrays.equals(((SmartHost) o).password, password);
    }

    @Override
    public int hashCode() {
        return Objects.hash(host, port, tls, username);
    }
}
