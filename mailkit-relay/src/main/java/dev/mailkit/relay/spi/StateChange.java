package dev.mailkit.relay.spi;

import java.util.Objects;

/**
 * Something that happened to a queued message, as a {@link QueueStorage} records it: a recipient delivered or
 * bounced (with the time and the reply), the attempts made so far and when the next is due, held or released.
 * Immutable.
 */
public final class StateChange {
    /** What happened. */
    public enum Kind {
        /** The recipient at {@link #index()} was delivered; {@link #reply()} is the server's answer. */
        DELIVERED,
        /** The recipient at {@link #index()} bounced, its DSN already queued; with {@link #status()}. */
        BOUNCED,
        /** A round of attempts ended: {@link #attempts()} so far, the next due at {@link #nextAttempt()}. */
        ATTEMPTED,
        /** The message was held by a person. */
        HELD,
        /** The message was released. */
        RELEASED
    }

    private final Kind kind;
    private final long at;
    private final int index;
    private final String status;
    private final String reply;
    private final int attempts;
    private final long nextAttempt;

    private StateChange(Kind kind, long at, int index, String status, String reply, int attempts, long nextAttempt) {
        this.kind = kind;
        this.at = at;
        this.index = index;
        this.status = status;
        this.reply = reply;
        this.attempts = attempts;
        this.nextAttempt = nextAttempt;
    }

    /** Recipient {@code index} delivered at {@code at} (epoch millis) with {@code reply}. */
    public static StateChange delivered(int index, long at, String reply) {
        return new StateChange(Kind.DELIVERED, at, index, null, Objects.requireNonNull(reply, "reply"), 0, -1);
    }

    /** Recipient {@code index} bounced at {@code at} with the enhanced status code and reply. */
    public static StateChange bounced(int index, long at, String status, String reply) {
        return new StateChange(Kind.BOUNCED, at, index, Objects.requireNonNull(status, "status"),
                Objects.requireNonNull(reply, "reply"), 0, -1);
    }

    /** {@code attempts} rounds made by {@code at}; the next at {@code nextAttempt} (epoch millis). */
    public static StateChange attempted(long at, int attempts, long nextAttempt) {
        return new StateChange(Kind.ATTEMPTED, at, -1, null, null, attempts, nextAttempt);
    }

    /** Held at {@code at}. */
    public static StateChange held(long at) {
        return new StateChange(Kind.HELD, at, -1, null, null, 0, -1);
    }

    /** Released at {@code at}. */
    public static StateChange released(long at) {
        return new StateChange(Kind.RELEASED, at, -1, null, null, 0, -1);
    }

    public Kind kind() {
        return kind;
    }

    /** When, in epoch millis. */
    public long at() {
        return at;
    }

    /** The recipient's position in {@link QueuedMessage#recipients()}, or -1 for a change of the whole message. */
    public int index() {
        return index;
    }

    /** The enhanced status code of a bounce, else null. */
    public String status() {
        return status;
    }

    /** The reply (one line) of a delivery or bounce, else null. */
    public String reply() {
        return reply;
    }

    /** For {@link Kind#ATTEMPTED}: the rounds so far, else 0. */
    public int attempts() {
        return attempts;
    }

    /** For {@link Kind#ATTEMPTED}: the next attempt in epoch millis, else -1. */
    public long nextAttempt() {
        return nextAttempt;
    }

    /**
     * Whether the change must be durable before the engine goes on: all but {@link Kind#ATTEMPTED} (losing that to a
     * crash only brings the next attempt forward).
     */
    public boolean durable() {
        return kind != Kind.ATTEMPTED;
    }

    @Override
    public String toString() {
        return kind + (index >= 0 ? " " + index : "") + " at " + at;
    }
}
