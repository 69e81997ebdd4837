package dev.mailkit.relay.internal;

import dev.mailkit.core.TlsInfo;
import dev.mailkit.relay.RelayTls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Opens an SMTP session on a new connection, as the destination's settings ask: the greeting, EHLO (HELO when EHLO is
 * refused), STARTTLS ({@link StartTls}; required TLS that is not offered is a failure) followed by a new EHLO, and AUTH
 * PLAIN or LOGIN for a smart host, never without TLS unless allowed. What the session ends up with (the extensions of
 * the last EHLO, the TLS session) is the result. Every failure is a {@link SessionFailure} in Postfix's words.
 */
final class Negotiation {
    /** What the server offers in the session. */
    final Extensions extensions;
    /** The TLS session, or null in plaintext. */
    final TlsInfo tls;

    private Negotiation(Extensions extensions, TlsInfo tls) {
        this.extensions = extensions;
        this.tls = tls;
    }

    /** Greets the server on a new channel and sets the session up. */
    static Negotiation run(SmtpChannel ch, String remoteHost, int port, ClientSettings settings)
            throws IOException, SessionFailure {
        Reply greeting = ch.readReply(settings.commandTimeout);
        if (!greeting.isPositive()) {
            throw new SessionFailure("host " + ch.who() + " refused to talk to me: " + greeting.oneLine(), greeting,
                    "4.3.0", null);
        }
        Extensions ext = ehlo(ch, settings);
        TlsInfo tls = null;
        boolean offered = ext.has("STARTTLS");
        if (settings.tls == RelayTls.REQUIRED && !offered) {
            throw new SessionFailure("TLS is required, but was not offered by host " + ch.who(), null, "4.7.4", null);
        }
        if (offered && settings.tls != RelayTls.DISABLED) {
            tls = StartTls.start(ch, remoteHost, port, settings, settings.tls == RelayTls.REQUIRED);
            if (tls != null) {
                ext = ehlo(ch, settings);
            }
        }
        if (settings.authUser != null) {
            authenticate(ch, settings, ext, tls);
        }
        return new Negotiation(ext, tls);
    }

    private static Extensions ehlo(SmtpChannel ch, ClientSettings settings) throws IOException, SessionFailure {
        Reply r = ch.command("EHLO " + settings.heloName);
        if (r.isPositive()) {
            return Extensions.of(r);
        }
        Reply helo = ch.command("HELO " + settings.heloName);
        if (!helo.isPositive()) {
            throw new SessionFailure("host " + ch.who() + " refused HELO: " + helo.oneLine(), helo, "4.3.0", null);
        }
        return Extensions.NONE;
    }

    private static void authenticate(SmtpChannel ch, ClientSettings settings, Extensions ext, TlsInfo tls)
            throws IOException, SessionFailure {
        if (tls == null && !settings.allowInsecureAuth) {
            throw new SessionFailure("not sending the AUTH password to " + ch.who() + " without TLS (it offered no "
                    + "STARTTLS)", null, "4.7.0", null);
        }
        String user = settings.authUser;
        String pw = new String(settings.authPassword);
        Reply r;
        if (ext.authMechanisms().contains("PLAIN")) {
            r = ch.command("AUTH PLAIN " + base64("\0" + user + "\0" + pw));
        } else if (ext.authMechanisms().contains("LOGIN")) {
            r = ch.command("AUTH LOGIN");
            if (r.code == 334) {
                r = ch.command(base64(user));
            }
            if (r.code == 334) {
                r = ch.command(base64(pw));
            }
        } else {
            throw new SessionFailure("host " + ch.who() + " offers no AUTH mechanism mailkit supports (PLAIN, LOGIN)"
                    + (ext.authMechanisms().isEmpty() ? "; it offers no AUTH at all" : ": " + ext.authMechanisms()),
                    null, "4.7.0", null);
        }
        if (r.code != 235) {
            throw new SessionFailure("SASL authentication failed; server " + ch.who() + " said: " + r.oneLine(), r,
                    "4.7.0", null);
        }
    }

    private static String base64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
