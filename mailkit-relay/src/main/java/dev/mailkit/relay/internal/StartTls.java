package dev.mailkit.relay.internal;

import dev.mailkit.core.TlsInfo;
import dev.mailkit.core.tls.TlsConfig;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * STARTTLS (RFC 3207) from the client's side. Required TLS verifies the certificate and that it names the host;
 * opportunistic TLS encrypts without verifying and, when the server refuses the command, goes on in plaintext. Bytes
 * the server sent after its {@code 220} and before the handshake are an injection attempt (CVE-2011-0411 class): the
 * connection is not used. TLS 1.3 and 1.2 only, with SNI for DNS names.
 */
final class StartTls {
    private StartTls() {
    }

    /**
     * Says STARTTLS and, if the server agrees, shakes hands and moves the channel onto TLS.
     *
     * @param verify whether TLS is required (and verified)
     * @return the session's protocol and cipher, or null when an opportunistic STARTTLS was refused
     * @throws SessionFailure (4.7.x) if TLS is required and was refused, the handshake failed, or data was injected
     */
    static TlsInfo start(SmtpChannel ch, String remoteHost, int port, ClientSettings settings, boolean verify)
            throws IOException, SessionFailure {
        Reply r = ch.command("STARTTLS");
        if (r.code != 220) {
            if (verify) {
                throw new SessionFailure("TLS is required, but host " + ch.who() + " refused STARTTLS: "
                        + r.oneLine(), r, "4.7.4", null);
            }
            return null; // opportunistic: go on in plaintext, as the server said no
        }
        if (ch.hasBufferedInput()) {
            // bytes after the 220 were sent before the handshake: a STARTTLS injection attempt (CVE-2011-0411 class)
            throw new SessionFailure("host " + ch.who() + " sent data after its STARTTLS reply; not using it", r,
                    "4.7.0", null);
        }
        try {
            SSLSocket ssl = (SSLSocket) (verify ? settings.verifying : settings.opportunistic).getSocketFactory()
                    .createSocket(ch.socket(), remoteHost, port, true);
            ssl.setUseClientMode(true);
            SSLParameters p = ssl.getSSLParameters();
            List<String> protocols = new ArrayList<>();
            for (String proto : TlsConfig.PROTOCOLS) {
                if (List.of(ssl.getSupportedProtocols()).contains(proto)) {
                    protocols.add(proto);
                }
            }
            p.setProtocols(protocols.toArray(new String[0]));
            if (settings.checkName) {
                p.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the host
            }
            if (isDnsName(remoteHost)) {
                p.setServerNames(List.of(new SNIHostName(remoteHost)));
            }
            ssl.setSSLParameters(p);
            ch.setDeadline(settings.commandTimeout);
            ssl.startHandshake();
            ch.clearDeadline();
            ch.upgrade(ssl);
            return new TlsInfo(ssl.getSession().getProtocol(), ssl.getSession().getCipherSuite());
        } catch (SSLHandshakeException e) {
            throw new SessionFailure((verify ? "server certificate not verified" : "TLS handshake failed") + " for "
                    + ch.who() + ": " + Text.describe(e), null, "4.7.5", e);
        } catch (IOException e) {
            throw new SessionFailure("TLS handshake with " + ch.who() + " failed: " + Text.describe(e), null,
                    "4.7.5", e);
        }
    }

    private static boolean isDnsName(String host) {
        return !host.isEmpty() && host.indexOf(':') < 0 && !host.matches("[0-9.]+") && host.contains(".")
                || host.equals("localhost");
    }
}
