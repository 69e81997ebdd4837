package dev.mailkit.smtp;

/**
 * What a listening port of an {@link SmtpServer} is for.
 */
public enum SmtpRole {
    /**
     * Port 25 style: accepts mail for the local domains from anyone, without authentication, and relays only for
     * clients in the server's trusted networks (none by default). STARTTLS is offered when TLS is configured; AUTH is
     * not offered.
     */
    MX,
    /**
     * Port 587 style (RFC 6409): AUTH is required before MAIL, and STARTTLS before AUTH (unless insecure
     * authentication was explicitly allowed for tests). Authenticated users may send to remote recipients once a
     * relay is configured.
     */
    SUBMISSION,
    /** Port 465 style (RFC 8314): the submission role on a port where TLS starts before the greeting. */
    SMTPS;

    /** Whether this role requires authentication before MAIL. */
    public boolean requiresAuth() {
        return this != MX;
    }
}
