package dev.mailkit.relay.internal;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/** The two client TLS contexts of the relay: verifying (required TLS) and opportunistic. */
public final class TlsContexts {
    private TlsContexts() {
    }

    /** Trusts the JVM's certificate authorities. */
    public static SSLContext defaultTrust() {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init((KeyStore) null);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot load the JVM's trusted certificates: " + e.getMessage(), e);
        }
    }

    /** Opportunistic TLS encrypts without verifying, as MTAs do by default (most MX certificates would fail). */
    public static SSLContext trustAll() {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                    // not a server
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {
                    // opportunistic: encryption without authentication
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
