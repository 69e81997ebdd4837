package dev.mailkit.scan.internal;

import dev.mailkit.core.Arguments;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a scanner listens: a TCP host and port, or a Unix domain socket. Parsed from {@code HOST:PORT},
 * {@code [IPv6]:PORT}, {@code unix:PATH} or an absolute path. Immutable.
 */
public final class Endpoint {
    private final String host;
    private final int port;
    private final Path path;

    private Endpoint(String host, int port, Path path) {
        this.host = host;
        this.port = port;
        this.path = path;
    }

    /** A TCP endpoint. */
    public static Endpoint tcp(String host, int port) {
        Objects.requireNonNull(host, "host");
        if (host.isEmpty() || host.chars().anyMatch(c -> c <= ' ' || c >= 127)) {
            throw new IllegalArgumentException("'" + host + "' is not a host name or address");
        }
        return new Endpoint(host, Arguments.remotePort(port, "port"), null);
    }

    /** A Unix domain socket. */
    public static Endpoint unix(Path path) {
        Objects.requireNonNull(path, "path");
        return new Endpoint(null, 0, path);
    }

    /**
     * Parses {@code HOST:PORT}, {@code [IPv6]:PORT}, {@code unix:PATH} or {@code /PATH}.
     *
     * @param what names the setting in the error message
     * @throws IllegalArgumentException with a message that says what is expected
     */
    public static Endpoint parse(String text, String what) {
        Objects.requireNonNull(text, what);
        if (text.startsWith("unix:") && text.length() > 5) {
            return unix(Path.of(text.substring(5)));
        }
        if (text.startsWith("/")) {
            return unix(Path.of(text));
        }
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException(what + " needs HOST:PORT or unix:PATH, e.g. 127.0.0.1:3310, was '"
                    + text + "'");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new IllegalArgumentException(what + ": write an IPv6 address in brackets, e.g. [::1]:3310, was '"
                    + text + "'");
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + ": '" + text.substring(colon + 1) + "' is not a port number");
        }
        try {
            return tcp(host, port);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
        }
    }

    /** Whether this is a Unix domain socket. */
    public boolean isUnix() {
        return path != null;
    }

    /** The host (TCP only). */
    public String host() {
        return host;
    }

    /** The port (TCP only). */
    public int port() {
        return port;
    }

    /** The socket address (a TCP host name is resolved now). */
    public SocketAddress address() {
        return path != null ? UnixDomainSocketAddress.of(path) : new InetSocketAddress(host, port);
    }

    @Override
    public String toString() {
        if (path != null) {
            return "unix:" + path;
        }
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Endpoint e && Objects.equals(host, e.host) && port == e.port && Objects.equals(path, e.path);
    }

    @Override
    public int hashCode() {
        return Objects.hash(host, port, path);
    }
}
