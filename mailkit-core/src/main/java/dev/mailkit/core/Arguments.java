package dev.mailkit.core;

import java.time.Duration;
import java.util.Objects;

/**
 * The checks every mailkit builder makes on the values it is given, with the same messages everywhere: the name of
 * the setting, what is allowed, and what was given. For builders of plugins too. Stateless.
 */
public final class Arguments {
    private Arguments() {
    }

    /**
     * A positive duration.
     *
     * @throws IllegalArgumentException if it is zero or negative
     * @throws NullPointerException     if it is null
     */
    public static Duration positive(Duration d, String setting) {
        Objects.requireNonNull(d, setting);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(setting + " must be positive, was " + d);
        }
        return d;
    }

    /**
     * A positive size or count.
     *
     * @throws IllegalArgumentException if it is zero or negative
     */
    public static long positive(long n, String setting) {
        if (n < 1) {
            throw new IllegalArgumentException(setting + " must be positive, was " + n);
        }
        return n;
    }

    /**
     * A protocol token (a user name, an MTA name sent to a scanner): one or more visible ASCII characters, no
     * spaces, so that it cannot break the line or header it is written into.
     *
     * @throws IllegalArgumentException if it is empty or has spaces, control or non-ASCII characters (the message
     *                                  shows the value with those made visible, cut at 40 characters)
     * @throws NullPointerException     if it is null
     */
    public static String token(String value, String setting) {
        Objects.requireNonNull(value, setting);
        if (value.isEmpty() || !value.chars().allMatch(c -> c > 0x20 && c < 0x7F)) {
            StringBuilder shown = new StringBuilder();
            value.codePoints().limit(40).forEach(c -> shown.append(c > 0x20 && c < 0x7F ? Character.toString(c)
                    : String.format("\\u%04x", c)));
            throw new IllegalArgumentException(setting + " must be printable ASCII without spaces, was '" + shown
                    + (value.length() > 40 ? "...'" : "'"));
        }
        return value;
    }

    /**
     * A count of at least one.
     *
     * @throws IllegalArgumentException if it is below one
     */
    public static int atLeastOne(int n, String setting) {
        if (n < 1) {
            throw new IllegalArgumentException(setting + " must be at least 1, was " + n);
        }
        return n;
    }

    /**
     * A count of at least {@code min}.
     *
     * @throws IllegalArgumentException if it is below {@code min}
     */
    public static int atLeast(int n, int min, String setting) {
        if (n < min) {
            throw new IllegalArgumentException(setting + " must be at least " + min + ", was " + n);
        }
        return n;
    }

    /**
     * A size of at least {@code min}.
     *
     * @throws IllegalArgumentException if it is below {@code min}
     */
    public static long atLeast(long n, long min, String setting) {
        if (n < min) {
            throw new IllegalArgumentException(setting + " must be at least " + min + ", was " + n);
        }
        return n;
    }

    /**
     * A size or count of at least zero.
     *
     * @throws IllegalArgumentException if it is negative
     */
    public static long notNegative(long n, String setting) {
        if (n < 0) {
            throw new IllegalArgumentException(setting + " must not be negative, was " + n);
        }
        return n;
    }

    /**
     * A positive duration, or null for "none" (e.g. no session deadline).
     *
     * @throws IllegalArgumentException if it is zero or negative
     */
    public static Duration positiveOrNull(Duration d, String setting) {
        return d == null ? null : positive(d, setting);
    }

    /**
     * The name a server gives itself (greeting, EHLO, {@code Received:}): 1 to 255 visible ASCII characters, no
     * spaces, as a host name or address literal is.
     *
     * @throws IllegalArgumentException if it is empty, too long, or has spaces, control or non-ASCII characters
     * @throws NullPointerException     if it is null
     */
    public static String hostName(String name, String setting) {
        Objects.requireNonNull(name, setting);
        boolean visible = !name.isEmpty() && name.length() <= 255;
        for (int i = 0; visible && i < name.length(); i++) {
            visible = name.charAt(i) > 0x20 && name.charAt(i) < 0x7F;
        }
        if (!visible) {
            throw new IllegalArgumentException(setting + " must be 1 to 255 visible ASCII characters without spaces,"
                    + " was '" + name + "'");
        }
        return name;
    }

    /**
     * A port to listen on: 0 (a free port chosen at start) to 65535.
     *
     * @throws IllegalArgumentException if it is outside 0..65535
     */
    public static int listeningPort(int port, String setting) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(setting + " must be 0..65535 (0 picks a free port), was " + port);
        }
        return port;
    }

    /**
     * A port to connect to: 1 to 65535.
     *
     * @throws IllegalArgumentException if it is outside 1..65535
     */
    public static int remotePort(int port, String setting) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(setting + " must be 1..65535, was " + port);
        }
        return port;
    }
}
