package dev.mailkit.test.internal;

import jakarta.mail.Authenticator;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;

import java.util.Properties;
import javax.net.ssl.SSLContext;

/**
 * Jakarta Mail {@link Properties} and {@link Session}s for a test server's ports, with its TLS trust set up through
 * the session's own socket factory (no JVM-wide settings are touched).
 */
public final class ClientSessions {
    private ClientSessions() {
    }

    /**
     * Properties for one protocol.
     *
     * @param protocol  the Jakarta Mail protocol name: smtp, smtps, imap, imaps, pop3 or pop3s
     * @param implicitTls whether the port speaks TLS from the start
     * @param tls       the client context trusting the server, or null when the server has no TLS
     */
    public static Properties properties(String protocol, String host, int port, boolean implicitTls, SSLContext tls,
                                        boolean auth) {
        Properties p = new Properties();
        String k = "mail." + protocol + ".";
        p.setProperty(k + "host", host);
        p.setProperty(k + "port", Integer.toString(port));
        p.setProperty(k + "connectiontimeout", "10000");
        p.setProperty(k + "timeout", "10000");
        p.setProperty(k + "writetimeout", "10000");
        if (protocol.startsWith("smtp")) {
            // Transport.send(message) picks the transport for "rfc822" addresses: smtps needs to be named
            p.setProperty("mail.transport.protocol", protocol);
            p.setProperty("mail.transport.protocol.rfc822", protocol);
            p.setProperty(k + "auth", Boolean.toString(auth));
        } else {
            p.setProperty("mail.store.protocol", protocol);
        }
        if (tls != null) {
            p.put(k + "ssl.socketFactory", tls.getSocketFactory());
            p.setProperty(k + "ssl.checkserveridentity", "true");
            if (implicitTls) {
                p.setProperty(k + "ssl.enable", "true");
            } else {
                p.setProperty(k + "starttls.enable", "true");
            }
        }
        return p;
    }

    /** A session over the properties, logging in as the user when one is given. */
    public static Session session(Properties p, String user, String password) {
        if (user == null) {
            return Session.getInstance(p);
        }
        return Session.getInstance(p, new Authenticator() {
            @Override
            protected PasswordAuthentication getPasswordAuthentication() {
                return new PasswordAuthentication(user, password);
            }
        });
    }
}
