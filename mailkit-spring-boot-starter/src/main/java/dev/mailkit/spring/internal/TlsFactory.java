package dev.mailkit.spring.internal;

import dev.mailkit.core.tls.TlsConfig;
import dev.mailkit.spring.MailKitProperties;
import org.springframework.core.io.Resource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** The servers' {@link TlsConfig} from {@code mailkit.tls.*}. */
public final class TlsFactory {
    private TlsFactory() {
    }

    /** The TLS configuration, or null when none is configured. */
    public static TlsConfig create(MailKitProperties.Tls p) {
        if (!p.isConfigured()) {
            return null;
        }
        if (p.isSelfSigned()) {
            if (p.getCertificate() != null || p.getPrivateKey() != null) {
                throw Problems.problem("mailkit.tls.self-signed", true, "a generated certificate and a certificate "
                        + "from files exclude each other", "Remove mailkit.tls.self-signed, or mailkit.tls.certificate "
                        + "and mailkit.tls.private-key.");
            }
            return TlsConfig.selfSigned();
        }
        if (p.getCertificate() == null || p.getPrivateKey() == null) {
            String missing = p.getCertificate() == null ? "mailkit.tls.certificate" : "mailkit.tls.private-key";
            throw Problems.problem(missing, null, "a certificate needs both its chain and its private key",
                    "Set " + missing + " (a PEM file, e.g. file:/etc/mail/" + (p.getCertificate() == null
                            ? "fullchain.pem" : "privkey.pem") + "), or mailkit.tls.self-signed=true instead.");
        }
        Path cert = null;
        Path key = null;
        try {
            cert = file(p.getCertificate(), "mailkit.tls.certificate");
            key = file(p.getPrivateKey(), "mailkit.tls.private-key");
            Path c = cert;
            Path k = key;
            TlsConfig[] out = new TlsConfig[1];
            Problems.apply("mailkit.tls.certificate", p.getCertificate(), () -> out[0] = TlsConfig.fromPem(c, k));
            return out[0];
        } finally {
            deleteCopy(p.getCertificate(), cert);
            deleteCopy(p.getPrivateKey(), key);
        }
    }

    /** The resource as a file: itself when it is one, else a private temporary copy (deleted after reading). */
    static Path file(Resource r, String property) {
        try {
            if (r.isFile()) {
                return r.getFile().toPath();
            }
            if (!r.exists()) {
                throw Problems.problem(property, r, "there is no such resource", "Point " + property
                        + " at an existing PEM file (file:..., classpath:...).");
            }
            Path copy = Files.createTempFile("mailkit-", ".pem");
            try (InputStream in = r.getInputStream()) {
                Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
            }
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + property + " (" + r + "): " + e.getMessage(), e);
        }
    }

    static void deleteCopy(Resource r, Path p) {
        try {
            if (p != null && !r.isFile()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a temporary copy left behind is harmless
        }
    }
}
