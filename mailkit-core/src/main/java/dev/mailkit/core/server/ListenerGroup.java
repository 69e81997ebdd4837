package dev.mailkit.core.server;

import dev.mailkit.core.tls.TlsConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The listening ports of one server, started and stopped as one: {@link #start()} binds them in order and, if one
 * cannot be bound, stops the ones already started and fails with an error that names the address;
 * {@link #close()} first tells every port to stop accepting and end its sessions, then waits for all of them against
 * one shared deadline, so that a server with three ports still closes within about a second. The SMTP, IMAP and
 * POP3 servers keep their ports in one; {@link #plainAndImplicitTls} builds the usual pair of a mail-access
 * protocol (a plain port with STARTTLS and an optional implicit-TLS port).
 *
 * <p>A group is started once; after {@link #close()} (or a failed start) it cannot be started again. Thread-safe.
 */
public final class ListenerGroup {
    /** How long {@link #close()} lets sessions end on their own before interrupting their threads. */
    public static final Duration CLOSE_GRACE = Duration.ofMillis(600);

    /**
     * One listening port of a group. Implementations bind in {@link #start()} and split stopping in two, so that a
     * group can stop all its ports in parallel.
     */
    public interface Member {
        /**
         * Binds the port and starts accepting connections.
         *
         * @return this member
         * @throws UncheckedIOException if the port cannot be bound
         */
        Member start();

        /** What the port is, for error messages, e.g. {@code SMTP MX listener} or {@code IMAPS listener}. */
        String description();

        /** The configured address and port, e.g. {@code 127.0.0.1:993} (port 0 before start). */
        String configuredAddress();

        /** The bound port (after {@link #start()}). */
        int port();

        /** The bound address (after {@link #start()}). */
        InetSocketAddress localAddress();

        /** Stops accepting, frees the port and tells every session to end; returns without waiting. Idempotent. */
        void beginStop();

        /**
         * Waits for the sessions' threads to end until {@code deadlineNanos} (a {@link System#nanoTime()} value),
         * then interrupts the ones still running.
         */
        void awaitStopped(long deadlineNanos);
    }

    private final String protocol;
    private final List<Member> members;
    private final AtomicInteger state = new AtomicInteger(); // 0 new, 1 running, 2 closed

    /**
     * A group of ports.
     *
     * @param protocol the protocol's name for error messages ({@code SMTP}, {@code IMAP}, {@code POP3})
     * @param members  the ports, in the order they are started; the first is the server's main port
     * @throws IllegalArgumentException if there are no members
     */
    public ListenerGroup(String protocol, List<? extends Member> members) {
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        this.members = List.copyOf(members);
        if (this.members.isEmpty()) {
            throw new IllegalArgumentException("a listener group needs at least one member");
        }
    }

    /**
     * The plain port and, if {@code implicitTlsPort} is not negative, an implicit-TLS port of a mail-access
     * protocol, built from one {@link TcpServer.Builder} (the same handler, limits and timeouts, and one
     * {@link ConnectionLimiter}, so that the connection limits count both ports together).
     *
     * @param protocol        the protocol's name, e.g. {@code IMAP}; the implicit-TLS port is named with an
     *                        {@code S} appended ({@code IMAPS})
     * @param template        the settings both ports share; its port and TLS settings are replaced
     * @param port            the plain port (0 for a free one)
     * @param tls             TLS for STARTTLS on the plain port and for the implicit-TLS port, or null
     * @param implicitTlsPort the implicit-TLS port, 0 for a free one, negative for none (then {@code tls} may be null)
     * @throws IllegalStateException if the template's {@code maxConnectionsPerAddress} exceeds its
     *                               {@code maxConnections}
     */
    public static ListenerGroup plainAndImplicitTls(String protocol, TcpServer.Builder template, int port,
                                                    TlsConfig tls, int implicitTlsPort) {
        ConnectionLimiter shared = template.limiterOrNew();
        List<Member> ms = new ArrayList<>(2);
        ms.add(template.copy(protocol.toLowerCase(Locale.ROOT), protocol + " listener")
                .limiter(shared).port(port).tls(tls).build());
        if (implicitTlsPort >= 0) {
            String name = protocol + "S";
            ms.add(template.copy(name.toLowerCase(Locale.ROOT), name + " listener")
                    .limiter(shared).port(implicitTlsPort).implicitTls(Objects.requireNonNull(tls, "tls")).build());
        }
        return new ListenerGroup(protocol, ms);
    }

    /**
     * Starts every member in order.
     *
     * @throws UncheckedIOException  if a port cannot be bound (the members started before it are stopped again, and
     *                               the group is closed); the message names the port and its address
     * @throws IllegalStateException if the group was already started or closed
     */
    public void start() {
        if (!state.compareAndSet(0, 1)) {
            throw new IllegalStateException(protocol + " server was already started" + (state.get() == 2
                    ? " and closed; build a new one" : ""));
        }
        List<Member> started = new ArrayList<>(members.size());
        for (Member m : members) {
            try {
                m.start();
                started.add(m);
            } catch (RuntimeException e) {
                state.set(2);
                stop(started);
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                throw new UncheckedIOException("cannot bind " + m.description() + " to " + m.configuredAddress()
                        + ": " + cause.getMessage(), cause instanceof IOException ? (IOException) cause
                        : new IOException(cause));
            }
        }
    }

    /** The members, in start order. */
    public List<Member> members() {
        return members;
    }

    /**
     * The member at {@code index}, started.
     *
     * @throws IllegalStateException if the group was never started
     */
    public Member started(int index) {
        if (state.get() == 0) {
            throw new IllegalStateException(protocol + " server is not started: call start() first");
        }
        return members.get(index);
    }

    /** Whether the group has been started and not yet closed. */
    public boolean isRunning() {
        return state.get() == 1;
    }

    /**
     * Stops every member: all stop accepting and end their sessions first, then all wait against one deadline
     * ({@link #CLOSE_GRACE} from now). Idempotent; never throws.
     */
    public void close() {
        if (state.getAndSet(2) != 2) {
            stop(members);
        }
    }

    private static void stop(List<Member> ms) {
        long deadline = System.nanoTime() + CLOSE_GRACE.toNanos();
        for (Member m : ms) {
            m.beginStop();
        }
        for (Member m : ms) {
            m.awaitStopped(deadline);
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(protocol).append('{');
        for (Member m : members) {
            sb.append(sb.charAt(sb.length() - 1) == '{' ? "" : ", ").append(m);
        }
        return sb.append('}').toString();
    }
}
