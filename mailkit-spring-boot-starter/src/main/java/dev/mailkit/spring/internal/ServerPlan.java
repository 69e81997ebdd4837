package dev.mailkit.spring.internal;

import dev.mailkit.core.Envelope;
import dev.mailkit.core.MailAddress;
import dev.mailkit.core.MessageSource;
import dev.mailkit.core.auth.UserDirectory;
import dev.mailkit.core.filter.MailFilter;
import dev.mailkit.core.outbound.OutboundQueue;
import dev.mailkit.core.server.AuthFailurePenalty;
import dev.mailkit.core.tls.TlsConfig;
import dev.mailkit.imap.ImapServer;
import dev.mailkit.pop3.Pop3Server;
import dev.mailkit.smtp.SmtpServer;
import dev.mailkit.spring.ImapProperties;
import dev.mailkit.spring.MailKitProperties;
import dev.mailkit.spring.MailboxServerProperties;
import dev.mailkit.spring.Pop3Properties;
import dev.mailkit.spring.SmtpProperties;
import dev.mailkit.store.MailStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The servers the {@code mailkit.*} properties ask for, as configured builders: checked once when the application
 * context is created (a wrong property fails there, naming itself), then built and started anew at each start of the
 * context, since a mailkit server cannot be started again after it was closed.
 */
public final class ServerPlan {
    private static final String TLS_ACTION = "Set mailkit.tls.self-signed=true, or mailkit.tls.certificate and "
            + "mailkit.tls.private-key";

    private final MailKitProperties p;
    private final TlsConfig tls;
    private final CountingSink sink;
    private final RelaySource relay;
    private final SmtpServer.Builder smtp;
    private final ImapServer.Builder imap;
    private final Pop3Server.Builder pop3;

    /**
     * Configures and checks the builders.
     *
     * @throws dev.mailkit.spring.MailKitConfigurationException if a property is wrong; it names the property
     */
    public ServerPlan(MailKitProperties p, TlsConfig tls, UserDirectory users, MailStore store, CountingSink sink,
                      List<MailFilter> filters, RelaySource relay) {
        this.p = p;
        this.tls = tls;
        this.sink = sink;
        this.relay = relay;
        this.smtp = p.getSmtp().isEnabled() ? smtp(p, tls, users, sink, filters, relay != null) : null;
        this.imap = p.getImap().isEnabled() ? imap(p, tls, users, store) : null;
        this.pop3 = p.getPop3().isEnabled() ? pop3(p, tls, users, store) : null;
        if (relay != null && smtp == null) {
            throw Problems.problem("mailkit.relay.enabled", true, "the relay takes mail from the SMTP server, which "
                    + "is not enabled", "Set mailkit.smtp.enabled=true, or remove mailkit.relay.enabled.");
        }
        if (smtp != null) {
            if (relay != null) {
                smtp.relay(new NotStarted());
            }
            Problems.apply("mailkit.smtp", "enabled", smtp::build);
        }
        if (imap != null) {
            Problems.apply("mailkit.imap", "enabled", imap::build);
        }
        if (pop3 != null) {
            Problems.apply("mailkit.pop3", "enabled", pop3::build);
        }
    }

    /** The counting sink the SMTP server hands mail to. */
    public CountingSink sink() {
        return sink;
    }

    /** The TLS configuration, or null. */
    public TlsConfig tls() {
        return tls;
    }

    /** Whether the SMTP server is configured. */
    public boolean hasSmtp() {
        return smtp != null;
    }

    /** Whether the IMAP server is configured. */
    public boolean hasImap() {
        return imap != null;
    }

    /** Whether the POP3 server is configured. */
    public boolean hasPop3() {
        return pop3 != null;
    }

    /** Whether a relay queue is configured. */
    public boolean hasRelay() {
        return relay != null;
    }

    /**
     * Builds and starts every configured server (the relay queue first, SMTP last, so that nothing is accepted before
     * it has a place to go).
     *
     * @throws dev.mailkit.spring.MailKitConfigurationException if a port cannot be bound
     */
    public Started start() {
        Started s = new Started();
        AuthFailurePenalty penalty = AuthFailurePenalty.defaults(); // one per client address for SMTP and POP3
        try {
            if (imap != null) {
                s.imap = bind("mailkit.imap.port", ports(p.getImap()), () -> imap.authFailurePenalty(penalty)
                        .build().start());
            }
            if (pop3 != null) {
                s.pop3 = bind("mailkit.pop3.port", ports(p.getPop3()), () -> pop3.authFailurePenalty(penalty)
                        .build().start());
            }
            if (relay != null) {
                s.relay = relay.start();
                smtp.relay(s.relay.queue());
            }
            if (smtp != null) {
                SmtpProperties sp = p.getSmtp();
                s.smtp = bind("mailkit.smtp.port", "port=" + sp.getPort() + ", submission-port="
                        + sp.getSubmissionPort() + ", smtps-port=" + sp.getSmtpsPort(),
                        () -> smtp.authFailurePenalty(penalty).build().start());
            }
            return s;
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
    }

    private static String ports(MailboxServerProperties m) {
        return "port=" + m.getPort() + ", implicit-tls-port=" + m.getImplicitTlsPort();
    }

    private interface Start<T> {
        T start();
    }

    private static <T> T bind(String property, String value, Start<T> start) {
        try {
            return start.start();
        } catch (UncheckedIOException e) {
            throw new dev.mailkit.spring.MailKitConfigurationException(property, value, "cannot listen: "
                    + e.getMessage(), "Stop the process that holds the port, or choose another port (0 picks a "
                    + "free one).", e);
        }
    }

    /** The servers of one start of the context; closing stops them (SMTP first) and the relay queue. */
    public static final class Started implements AutoCloseable {
        /** The SMTP server, or null. */
        public SmtpServer smtp;
        /** The IMAP server, or null. */
        public ImapServer imap;
        /** The POP3 server, or null. */
        public Pop3Server pop3;
        /** The relay queue, or null. */
        public RelaySource.Running relay;

        @Override
        public void close() {
            if (smtp != null) {
                smtp.close();
            }
            if (relay != null) {
                relay.close();
            }
            if (imap != null) {
                imap.close();
            }
            if (pop3 != null) {
                pop3.close();
            }
        }
    }

    private static SmtpServer.Builder smtp(MailKitProperties p, TlsConfig tls, UserDirectory users,
                                           CountingSink sink, List<MailFilter> filters, boolean relay) {
        SmtpProperties s = p.getSmtp();
        if (s.getPort() == -1 && s.getSubmissionPort() == null && s.getSmtpsPort() == null) {
            throw Problems.problem("mailkit.smtp.port", -1, "-1 turns the MX listener off, and no other SMTP port is "
                    + "set", "Set mailkit.smtp.port to a port (0 picks a free one), or set mailkit.smtp.submission-port "
                    + "or mailkit.smtp.smtps-port.");
        }
        if (tls == null) {
            if (s.getSmtpsPort() != null) {
                throw Problems.problem("mailkit.smtp.smtps-port", s.getSmtpsPort(), "an SMTPS port needs TLS",
                        TLS_ACTION + ", or remove mailkit.smtp.smtps-port.");
            }
            if (s.isRequireTls()) {
                throw Problems.problem("mailkit.smtp.require-tls", true, "STARTTLS cannot be required without TLS",
                        TLS_ACTION + ", or remove mailkit.smtp.require-tls.");
            }
            if (s.getSubmissionPort() != null && s.isRequireTlsForLogin()) {
                throw Problems.problem("mailkit.smtp.submission-port", s.getSubmissionPort(), "a submission port "
                        + "needs TLS so that passwords are protected", TLS_ACTION + ", or (for tests) "
                        + "mailkit.smtp.require-tls-for-login=false.");
            }
        }
        if (!s.getTrustedNetworks().isEmpty() && !relay) {
            throw Problems.problem("mailkit.smtp.trusted-networks", s.getTrustedNetworks(), "trusted networks may "
                    + "relay, but no relay is configured", "Set mailkit.relay.enabled=true and mailkit.relay.directory "
                    + "(with mailkit-relay on the class path), or remove mailkit.smtp.trusted-networks.");
        }
        SmtpServer.Builder b = SmtpServer.builder();
        Problems.apply("mailkit.host-name", p.getHostName(), () -> b.hostName(p.getHostName()));
        b.bindAddress(p.getBindAddress());
        if (s.getPort() != -1) {
            Problems.apply("mailkit.smtp.port", s.getPort(), () -> b.mx(s.getPort()));
        }
        if (s.getSubmissionPort() != null) {
            Problems.apply("mailkit.smtp.submission-port", s.getSubmissionPort(), () -> b.submission(s.getSubmissionPort()));
        }
        if (s.getSmtpsPort() != null) {
            Problems.apply("mailkit.smtp.smtps-port", s.getSmtpsPort(), () -> b.smtps(s.getSmtpsPort()));
        }
        if (!p.getDomains().isEmpty()) {
            Problems.apply("mailkit.domains", p.getDomains(), () -> b.localDomains(p.getDomains().toArray(new String[0])));
        }
        if (s.isAcceptAllDomains()) {
            b.acceptAllDomains();
        }
        b.users(users).sink(sink).filters(filters.toArray(new MailFilter[0]));
        if (tls != null) {
            b.tls(tls);
        }
        if (!s.isRequireTlsForLogin()) {
            b.requireTlsForLogin(false);
        }
        if (s.isRequireTls()) {
            b.requireTls();
        }
        if (s.isOptionalAuth()) {
            b.optionalAuth();
        }
        Problems.apply("mailkit.smtp.max-message-size", s.getMaxMessageSize(),
                () -> b.maxMessageSize(s.getMaxMessageSize().toBytes()));
        Problems.apply("mailkit.smtp.max-recipients", s.getMaxRecipients(), () -> b.maxRecipients(s.getMaxRecipients()));
        Problems.apply("mailkit.smtp.idle-timeout", s.getIdleTimeout(), () -> b.idleTimeout(s.getIdleTimeout()));
        Problems.apply("mailkit.smtp.session-timeout", s.getSessionTimeout(),
                () -> b.sessionTimeout(s.getSessionTimeout()));
        Problems.apply("mailkit.smtp.max-connections", s.getMaxConnections(),
                () -> b.maxConnections(s.getMaxConnections()));
        Problems.apply("mailkit.smtp.max-connections-per-address", s.getMaxConnectionsPerAddress(),
                () -> b.maxConnectionsPerAddress(s.getMaxConnectionsPerAddress()));
        Problems.apply("mailkit.smtp.trusted-networks", s.getTrustedNetworks(),
                () -> b.trustedNetworks(s.getTrustedNetworks().toArray(new String[0])));
        return b.transcripts(s.isTranscripts());
    }

    private static void checkMailboxTls(String prefix, MailboxServerProperties m, TlsConfig tls) {
        if (tls != null) {
            return;
        }
        if (m.getImplicitTlsPort() != null) {
            throw Problems.problem(prefix + ".implicit-tls-port", m.getImplicitTlsPort(), "an implicit-TLS port needs "
                    + "TLS", TLS_ACTION + ", or remove " + prefix + ".implicit-tls-port.");
        }
        if (Boolean.TRUE.equals(m.getRequireTlsForLogin())) {
            throw Problems.problem(prefix + ".require-tls-for-login", true, "without TLS nobody could log in",
                    TLS_ACTION + ", or remove " + prefix + ".require-tls-for-login.");
        }
    }

    private static ImapServer.Builder imap(MailKitProperties p, TlsConfig tls, UserDirectory users, MailStore store) {
        ImapProperties m = p.getImap();
        checkMailboxTls("mailkit.imap", m, tls);
        ImapServer.Builder b = ImapServer.builder().store(store).users(users).bindAddress(p.getBindAddress());
        if (tls != null) {
            b.tls(tls);
        }
        Problems.apply("mailkit.imap.port", m.getPort(), () -> b.port(m.getPort()));
        if (m.getImplicitTlsPort() != null) {
            Problems.apply("mailkit.imap.implicit-tls-port", m.getImplicitTlsPort(),
                    () -> b.implicitTlsPort(m.getImplicitTlsPort()));
        }
        if (m.getRequireTlsForLogin() != null) {
            b.requireTlsForLogin(m.getRequireTlsForLogin());
        }
        Problems.apply("mailkit.host-name", p.getHostName(), () -> b.hostName(p.getHostName()));
        Problems.apply("mailkit.imap.max-connections", m.getMaxConnections(), () -> b.maxConnections(m.getMaxConnections()));
        Problems.apply("mailkit.imap.max-connections-per-address", m.getMaxConnectionsPerAddress(),
                () -> b.maxConnectionsPerAddress(m.getMaxConnectionsPerAddress()));
        Problems.apply("mailkit.imap.login-timeout", m.getLoginTimeout(), () -> b.loginTimeout(m.getLoginTimeout()));
        Problems.apply("mailkit.imap.idle-timeout", m.getIdleTimeout(), () -> b.idleTimeout(m.getIdleTimeout()));
        return b;
    }

    private static Pop3Server.Builder pop3(MailKitProperties p, TlsConfig tls, UserDirectory users, MailStore store) {
        Pop3Properties m = p.getPop3();
        checkMailboxTls("mailkit.pop3", m, tls);
        Pop3Server.Builder b = Pop3Server.builder().store(store).users(users).bindAddress(p.getBindAddress())
                .markSeen(m.isMarkSeen());
        if (tls != null) {
            b.tls(tls);
        }
        Problems.apply("mailkit.pop3.port", m.getPort(), () -> b.port(m.getPort()));
        if (m.getImplicitTlsPort() != null) {
            Problems.apply("mailkit.pop3.implicit-tls-port", m.getImplicitTlsPort(),
                    () -> b.implicitTlsPort(m.getImplicitTlsPort()));
        }
        if (m.getRequireTlsForLogin() != null) {
            b.requireTlsForLogin(m.getRequireTlsForLogin());
        }
        Problems.apply("mailkit.host-name", p.getHostName(), () -> b.hostName(p.getHostName()));
        Problems.apply("mailkit.pop3.max-connections", m.getMaxConnections(), () -> b.maxConnections(m.getMaxConnections()));
        Problems.apply("mailkit.pop3.max-connections-per-address", m.getMaxConnectionsPerAddress(),
                () -> b.maxConnectionsPerAddress(m.getMaxConnectionsPerAddress()));
        Problems.apply("mailkit.pop3.login-timeout", m.getLoginTimeout(), () -> b.loginTimeout(m.getLoginTimeout()));
        Problems.apply("mailkit.pop3.idle-timeout", m.getIdleTimeout(), () -> b.idleTimeout(m.getIdleTimeout()));
        return b;
    }

    /** Stands in for the relay queue while the SMTP configuration is checked; never started, never used. */
    private static final class NotStarted implements OutboundQueue {
        @Override
        public Prepared prepare(Envelope envelope, MessageSource message) throws IOException {
            throw new IOException("the relay queue is not started");
        }

        @Override
        public void reportDelivered(Envelope envelope, MessageSource message, List<MailAddress> recipients) {
        }
    }
}
