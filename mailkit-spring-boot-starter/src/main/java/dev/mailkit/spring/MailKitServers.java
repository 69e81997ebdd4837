package dev.mailkit.spring;

import dev.mailkit.core.tls.TlsConfig;
import dev.mailkit.imap.ImapServer;
import dev.mailkit.pop3.Pop3Server;
import dev.mailkit.smtp.SmtpRole;
import dev.mailkit.smtp.SmtpServer;
import dev.mailkit.spring.internal.ServerPlan;
import org.springframework.context.SmartLifecycle;

import java.net.InetAddress;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The mailkit servers of one application context, started and stopped with it: the relay queue, IMAP and POP3
 * first, SMTP last (so that nothing is accepted before it has a place to go), in the phase of Spring Boot's web
 * server. A context that is stopped and started again gets new servers (on new ports, where the ports are 0).
 *
 * <p>Inject it to find the ports, e.g. {@code servers.smtpPort()}, or the servers themselves while they run.
 * Thread-safe.
 */
public final class MailKitServers implements SmartLifecycle {
    /** The lifecycle phase: the web server's, so that mail and HTTP come up and go down together. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 1024;

    private final ServerPlan plan;
    private final InetAddress bindAddress;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile ServerPlan.Started running;

    MailKitServers(ServerPlan plan, InetAddress bindAddress) {
        this.plan = plan;
        this.bindAddress = bindAddress;
    }

    @Override
    public void start() {
        lock.lock();
        try {
            if (running == null) {
                running = plan.start();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void stop() {
        lock.lock();
        try {
            ServerPlan.Started s = running;
            running = null;
            if (s != null) {
                s.close();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean isRunning() {
        return running != null;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    /**
     * The address that clients on this machine connect to: the bind address, or the loopback address when the
     * servers listen on every interface.
     */
    public String host() {
        return bindAddress.isAnyLocalAddress() ? InetAddress.getLoopbackAddress().getHostAddress()
                : bindAddress.getHostAddress();
    }

    /** The running SMTP server (empty when it is not enabled or the context is not running). */
    public Optional<SmtpServer> smtp() {
        ServerPlan.Started s = running;
        return Optional.ofNullable(s == null ? null : s.smtp);
    }

    /** The running IMAP server (empty when it is not enabled or the context is not running). */
    public Optional<ImapServer> imap() {
        ServerPlan.Started s = running;
        return Optional.ofNullable(s == null ? null : s.imap);
    }

    /** The running POP3 server (empty when it is not enabled or the context is not running). */
    public Optional<Pop3Server> pop3() {
        ServerPlan.Started s = running;
        return Optional.ofNullable(s == null ? null : s.pop3);
    }

    /** The TLS configuration of the servers (trust its certificate with {@code clientSslContext()}). */
    public Optional<TlsConfig> tls() {
        return Optional.ofNullable(plan.tls());
    }

    /**
     * The SMTP server's first port: the MX port, or else the submission or the SMTPS port.
     *
     * @throws IllegalStateException if SMTP is not enabled or not running
     */
    public int smtpPort() {
        return running("SMTP", plan.hasSmtp(), "mailkit.smtp.enabled").smtp.port();
    }

    /**
     * The SMTP port of a role (MX, SUBMISSION, SMTPS).
     *
     * @throws IllegalStateException if SMTP is not running or has no listener of that role
     */
    public int smtpPort(SmtpRole role) {
        return running("SMTP", plan.hasSmtp(), "mailkit.smtp.enabled").smtp.port(role);
    }

    /**
     * The IMAP port (plain, with STARTTLS when TLS is set).
     *
     * @throws IllegalStateException if IMAP is not enabled or not running
     */
    public int imapPort() {
        return running("IMAP", plan.hasImap(), "mailkit.imap.enabled").imap.port();
    }

    /**
     * The IMAPS port.
     *
     * @throws IllegalStateException if IMAP is not running or has no implicit-TLS port
     */
    public int imapsPort() {
        return running("IMAP", plan.hasImap(), "mailkit.imap.enabled").imap.implicitTlsPort();
    }

    /**
     * The POP3 port (plain, with STLS when TLS is set).
     *
     * @throws IllegalStateException if POP3 is not enabled or not running
     */
    public int pop3Port() {
        return running("POP3", plan.hasPop3(), "mailkit.pop3.enabled").pop3.port();
    }

    /**
     * The POP3S port.
     *
     * @throws IllegalStateException if POP3 is not running or has no implicit-TLS port
     */
    public int pop3sPort() {
        return running("POP3", plan.hasPop3(), "mailkit.pop3.enabled").pop3.implicitTlsPort();
    }

    /** How many messages wait in the relay queue (empty without a relay, or while the context is not running). */
    public OptionalInt relayQueueSize() {
        ServerPlan.Started s = running;
        return s == null || s.relay == null ? OptionalInt.empty() : OptionalInt.of(s.relay.size());
    }

    /** Whether a relay queue is configured. */
    public boolean hasRelay() {
        return plan.hasRelay();
    }

    /** SMTP transactions the message sink stored for every recipient, since the context was created. */
    public long messagesDelivered() {
        return plan.sink().delivered();
    }

    /** SMTP transactions the message sink failed for a recipient or threw for, since the context was created. */
    public long messagesFailed() {
        return plan.sink().failed();
    }

    private ServerPlan.Started running(String what, boolean configured, String property) {
        if (!configured) {
            throw new IllegalStateException("mailkit's " + what + " server is not enabled: set " + property + "=true");
        }
        ServerPlan.Started s = running;
        if (s == null) {
            throw new IllegalStateException("mailkit's " + what + " server is not running (the application context "
                    + "is not started, or was stopped)");
        }
        return s;
    }

    @Override
    public String toString() {
        ServerPlan.Started s = running;
        if (s == null) {
            return "MailKitServers{stopped}";
        }
        StringBuilder b = new StringBuilder("MailKitServers{");
        if (s.smtp != null) {
            b.append(s.smtp).append(' ');
        }
        if (s.imap != null) {
            b.append(s.imap).append(' ');
        }
        if (s.pop3 != null) {
            b.append(s.pop3).append(' ');
        }
        return b.append('}').toString();
    }
}
