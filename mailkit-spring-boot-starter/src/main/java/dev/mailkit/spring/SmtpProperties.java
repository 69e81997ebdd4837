package dev.mailkit.spring;

import org.springframework.util.unit.DataSize;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The SMTP server ({@code mailkit.smtp.*}): its listeners (an MX port, a submission port, an SMTPS port), limits and
 * policy. Accepted mail goes to the application's {@code MessageSink} bean, or else to the delivery agent over the
 * mailbox store.
 */
public class SmtpProperties {
    /** Start the SMTP server with the application. */
    private boolean enabled;

    /** The MX port: mail for the local domains from anyone, no relaying (0: a free port; -1: no MX listener). */
    private int port = 0;

    /** A submission port: AUTH required, STARTTLS before AUTH unless require-tls-for-login is false (0: a free port). */
    private Integer submissionPort;

    /** A submission port with implicit TLS (SMTPS; 0: a free port); needs mailkit.tls. */
    private Integer smtpsPort;

    /** The largest message accepted (advertised with SIZE). */
    private DataSize maxMessageSize = DataSize.ofMegabytes(25);

    /** The most recipients per message. */
    private int maxRecipients = 1000;

    /** The longest wait for each read from a client. */
    private Duration idleTimeout = Duration.ofMinutes(5);

    /** The longest a session may last. */
    private Duration sessionTimeout = Duration.ofMinutes(30);

    /** The most connections at once over all listeners. */
    private int maxConnections = 1000;

    /** The most connections at once from one client address. */
    private int maxConnectionsPerAddress = 50;

    /** Require STARTTLS before MAIL on every port, the MX port included (needs mailkit.tls). */
    private boolean requireTls;

    /** Refuse AUTH until TLS is active; false lets passwords cross in clear (tests and trusted networks only). */
    private boolean requireTlsForLogin = true;

    /** Offer AUTH on every port, the MX port included, and require it on none (needs users). */
    private boolean optionalAuth;

    /** Accept mail for every domain (never relaying it): a test inbox, not a server on the internet. */
    private boolean acceptAllDomains;

    /** Networks (CIDR) whose clients may relay without AUTH; needs mailkit.relay. */
    private List<String> trustedNetworks = new ArrayList<>();

    /** Record each session's transcript (commands and replies) for diagnostics. */
    private boolean transcripts;

    /** Check SPF, DKIM and DMARC of incoming mail (needs mailkit-mailauth): off, record, or enforce (refuse DMARC p=reject failures). */
    private InboundAuth inboundAuth = InboundAuth.OFF;

    /** DNS blocklist zones (e.g. zen.spamhaus.org) whose listed clients are refused (needs mailkit-mailauth). */
    private List<String> dnsblZones = new ArrayList<>();

    /** What the SMTP server does with the sender authentication of incoming mail. */
    public enum InboundAuth {
        /** No SPF, DKIM or DMARC checks. */
        OFF,
        /** Check, and record the results in an Authentication-Results field. */
        RECORD,
        /** Check, record, and refuse what fails DMARC under p=reject. */
        ENFORCE
    }

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

    public Integer getSubmissionPort() {
        return submissionPort;
    }

    public void setSubmissionPort(Integer submissionPort) {
        this.submissionPort = submissionPort;
    }

    public Integer getSmtpsPort() {
        return smtpsPort;
    }

    public void setSmtpsPort(Integer smtpsPort) {
        this.smtpsPort = smtpsPort;
    }

    public DataSize getMaxMessageSize() {
        return maxMessageSize;
    }

    public void setMaxMessageSize(DataSize maxMessageSize) {
        this.maxMessageSize = maxMessageSize;
    }

    public int getMaxRecipients() {
        return maxRecipients;
    }

    public void setMaxRecipients(int maxRecipients) {
        this.maxRecipients = maxRecipients;
    }

    public Duration getIdleTimeout() {
        return idleTimeout;
    }

    public void setIdleTimeout(Duration idleTimeout) {
        this.idleTimeout = idleTimeout;
    }

    public Duration getSessionTimeout() {
        return sessionTimeout;
    }

    public void setSessionTimeout(Duration sessionTimeout) {
        this.sessionTimeout = sessionTimeout;
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

    public boolean isRequireTls() {
        return requireTls;
    }

    public void setRequireTls(boolean requireTls) {
        this.requireTls = requireTls;
    }

    public boolean isRequireTlsForLogin() {
        return requireTlsForLogin;
    }

    public void setRequireTlsForLogin(boolean requireTlsForLogin) {
        this.requireTlsForLogin = requireTlsForLogin;
    }

    public boolean isOptionalAuth() {
        return optionalAuth;
    }

    public void setOptionalAuth(boolean optionalAuth) {
        this.optionalAuth = optionalAuth;
    }

    public boolean isAcceptAllDomains() {
        return acceptAllDomains;
    }

    public void setAcceptAllDomains(boolean acceptAllDomains) {
        this.acceptAllDomains = acceptAllDomains;
    }

    public List<String> getTrustedNetworks() {
        return trustedNetworks;
    }

    public void setTrustedNetworks(List<String> trustedNetworks) {
        this.trustedNetworks = trustedNetworks;
    }

    public boolean isTranscripts() {
        return transcripts;
    }

    public void setTranscripts(boolean transcripts) {
        this.transcripts = transcripts;
    }

    public InboundAuth getInboundAuth() {
        return inboundAuth;
    }

    public void setInboundAuth(InboundAuth inboundAuth) {
        this.inboundAuth = inboundAuth;
    }

    public List<String> getDnsblZones() {
        return dnsblZones;
    }

    public void setDnsblZones(List<String> dnsblZones) {
        this.dnsblZones = dnsblZones;
    }
}
