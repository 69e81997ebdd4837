package dev.mailkit.acme.internal;

import dev.mailkit.core.tls.Pem;
import org.shredzone.acme4j.connector.HttpConnector;
import org.shredzone.acme4j.connector.NetworkSettings;
import org.shredzone.acme4j.provider.GenericAcmeProvider;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The CA certificates trusted for the ACME directory's HTTPS, instead of the JDK's: a test CA such as Pebble's, or a
 * private one. An acme4j provider whose HTTP client uses them; nothing JVM-wide changes. Immutable.
 */
public final class DirectoryTrust extends GenericAcmeProvider {
    private final SSLContext context;

    private DirectoryTrust(SSLContext context) {
        this.context = context;
    }

    /**
     * Trust for the certificates in a PEM file.
     *
     * @throws IllegalArgumentException naming the file if it cannot be read or holds no certificate
     */
    public static DirectoryTrust of(Path pemFile) {
        String pem;
        try {
            pem = Files.readString(pemFile, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + pemFile + ": " + e.getMessage(), e);
        }
        List<X509Certificate> certs = Pem.certificates(pem, pemFile.toString());
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            for (int i = 0; i < certs.size(); i++) {
                ks.setCertificateEntry("ca-" + i, certs.get(i));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return new DirectoryTrust(ctx);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException(pemFile + ": cannot trust these certificates: " + e.getMessage(), e);
        }
    }

    @Override
    protected HttpConnector createHttpConnector(NetworkSettings settings) {
        return new HttpConnector(settings) {
            @Override
            public HttpClient.Builder createClientBuilder() {
                return super.createClientBuilder().sslContext(context);
            }
        };
    }
}
