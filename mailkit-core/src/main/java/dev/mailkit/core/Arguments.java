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
     * A size or count of at least zero.
     *
     * @throws IllegalArgumentException if it is negative
     */
    public static long notNegative(long n, String setting) {
        if (n < 0) {
            throw new IllegalArgumentException(setting + " must be >= 0, was " + n);
        }
        return n;
    }

    /**
     * A port to listen on: 0 (a free port chosen at start) to 65535.
     *
     * @throws IllegalArgumentException if it is outside 0..65535
     */
    public static int listeningPort(int port, String setting) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(setting + " must be 0 (any free port) to 65535, was " + port);
        }
        return port;
    }
}
