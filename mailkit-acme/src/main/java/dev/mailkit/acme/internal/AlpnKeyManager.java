package dev.mailkit.acme.internal;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Chooses the TLS-ALPN-01 certificate by the name the client asked for (SNI), only once {@code acme-tls/1} was
 * negotiated (a client that offers no ALPN at all never reaches the protocol selector): the alias is the domain, and
 * a domain without a pending challenge, a handshake without SNI or without {@code acme-tls/1} has no certificate, so
 * the handshake fails. Server side only.
 */
final class AlpnKeyManager extends X509ExtendedKeyManager {
    private final Challenges challenges;

    AlpnKeyManager(Challenges challenges) {
        this.challenges = challenges;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return socket instanceof SSLSocket s && TlsAlpnResponder.ACME_TLS_1.equals(s.getHandshakeApplicationProtocol())
                ? alias(keyType, s.getHandshakeSession()) : null;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return engine != null && TlsAlpnResponder.ACME_TLS_1.equals(engine.getHandshakeApplicationProtocol())
                ? alias(keyType, engine.getHandshakeSession()) : null;
    }

    private String alias(String keyType, SSLSession handshake) {
        String name = serverName(handshake);
        Optional<Challenges.AlpnAnswer> answer = challenges.alpn(name);
        return answer.isPresent() && answer.get().key().getAlgorithm().equals(keyType) ? name : null;
    }

    /** The SNI host name of a handshake, lower case, or null. */
    static String serverName(SSLSession session) {
        if (session instanceof ExtendedSSLSession e) {
            for (SNIServerName n : e.getRequestedServerNames()) {
                if (n instanceof SNIHostName h) {
                    return h.getAsciiName().toLowerCase(Locale.ROOT);
                }
            }
        }
        return null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return challenges.alpn(alias).map(a -> new X509Certificate[] {a.certificate()}).orElse(null);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return challenges.alpn(alias).map(Challenges.AlpnAnswer::key).orElse(null);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }
}
