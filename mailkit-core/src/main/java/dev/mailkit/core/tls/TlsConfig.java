package dev.mailkit.core.tls;

import dev.mailkit.core.internal.SelfSignedCertificate;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * The server side of TLS for every mailkit server: a private key and certificate chain, and the TLS versions allowed
 * (TLS 1.3 and 1.2 only).
 *
 * <ul>
 *   <li>{@link #selfSigned()}: a certificate for {@code localhost}, {@code 127.0.0.1} and {@code ::1}, generated
 *       when first needed (an EC P-256 key, valid for a year). Use {@link #certificatePem()},
 *       {@link #trustStore()} or {@link #clientSslContext()} to make a client trust it.</li>
 *   <li>{@link #fromPem(Path, Path)}: a PEM certificate chain and a PEM private key (PKCS#8, PKCS#1 or SEC1).</li>
 *   <li>{@link #fromPkcs12(Path, char[])}: a PKCS#12 key store holding one key entry.</li>
 * </ul>
 *
 * <p>A certificate is replaced while servers run with a {@link #replaceable(TlsConfig)} configuration: every server
 * asks it for the current certificate at each handshake, so after {@link #replace(TlsConfig)} new connections (and
 * STARTTLS) get the new one and open TLS sessions keep theirs. That is how a renewed certificate (ACME, or a file
 * re-read on reload) reaches every listener without a restart.
 *
 * <p>Nothing here touches JVM-wide settings: no system properties, no default {@code SSLContext}. Immutable (except
 * for what {@link #replace} swaps) and thread-safe; a generated certificate is generated once per instance.
 */
public final class TlsConfig {
    /** The protocol versions mailkit servers accept, newest first. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private final Supplier<Material> material;
    private final String description;
    private final AtomicReference<TlsConfig> current;

    private TlsConfig(Supplier<Material> material, String description) {
        this.material = material;
        this.description = description;
        this.current = null;
    }

    private TlsConfig(TlsConfig initial) {
        this.current = new AtomicReference<>(initial);
        this.material = () -> current.get().material.get();
        this.description = null;
    }

    /**
     * A configuration that serves {@code initial}'s certificate until {@link #replace(TlsConfig)} gives it another.
     * Give this one to every server; keep it to replace the certificate.
     */
    public static TlsConfig replaceable(TlsConfig initial) {
        Objects.requireNonNull(initial, "initial");
        return new TlsConfig(initial.current != null ? initial.current.get() : initial);
    }

    /**
     * Serves {@code next}'s certificate and key from now on: the next handshake on any server that has this
     * configuration uses it; TLS sessions already open are not touched.
     *
     * @throws IllegalStateException if this configuration was not made by {@link #replaceable(TlsConfig)}
     */
    public void replace(TlsConfig next) {
        Objects.requireNonNull(next, "next");
        if (current == null) {
            throw new IllegalStateException("this TlsConfig is not replaceable: make it with TlsConfig.replaceable(...)");
        }
        next.material.get(); // a generated certificate is generated now, not at the next handshake
        current.set(next.current != null ? next.current.get() : next);
    }

    /** Whether {@link #replace(TlsConfig)} works on this configuration. */
    public boolean isReplaceable() {
        return current != null;
    }

    /** A certificate for localhost, 127.0.0.1 and ::1, generated when first needed. */
    public static TlsConfig selfSigned() {
        return selfSigned("localhost", "127.0.0.1", "::1");
    }

    /**
     * A self-signed certificate for the given host names and IP literals (the first is also the subject CN),
     * generated when first needed.
     */
    public static TlsConfig selfSigned(String... names) {
        if (names.length == 0) {
            throw new IllegalArgumentException("name at least one host name for the certificate, e.g. localhost");
        }
        List<String> list = List.copyOf(Arrays.asList(names));
        return new TlsConfig(memoize(() -> {
            SelfSignedCertificate c = SelfSignedCertificate.generate(list, 365, new SecureRandom());
            return Material.of(c.keyPair().getPrivate(), List.of(c.certificate()), true);
        }), "self-signed certificate for " + String.join(", ", list));
    }

    /**
     * A certificate chain (leaf first) and private key in PEM files, read now.
     *
     * @throws IllegalArgumentException if a file cannot be read or holds no usable certificate or key; the message
     *                                  names the file and what was wrong
     */
    public static TlsConfig fromPem(Path certificateChain, Path privateKey) {
        String certs = read(certificateChain);
        String key = read(privateKey);
        List<X509Certificate> chain = Pem.certificates(certs, certificateChain.toString());
        PrivateKey pk = Pem.privateKey(key, privateKey.toString());
        Material m;
        try {
            m = Material.of(pk, chain, false);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(certificateChain + " and " + privateKey + ": " + e.getMessage(), e);
        }
        return new TlsConfig(() -> m, "certificate " + certificateChain);
    }

    /**
     * A PKCS#12 file with one private key entry (the first is used), read now.
     *
     * @throws IllegalArgumentException if the file cannot be read or has no key entry
     */
    public static TlsConfig fromPkcs12(Path file, char[] password) {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password);
            for (Enumeration<String> e = ks.aliases(); e.hasMoreElements(); ) {
                String alias = e.nextElement();
                if (ks.isKeyEntry(alias)) {
                    PrivateKey key = (PrivateKey) ks.getKey(alias, password);
                    List<X509Certificate> chain = new ArrayList<>();
                    for (Certificate c : ks.getCertificateChain(alias)) {
                        chain.add((X509Certificate) c);
                    }
                    Material m = Material.of(key, chain, false);
                    return new TlsConfig(() -> m, "PKCS12 " + file);
                }
            }
            throw new IllegalArgumentException(file + ": the PKCS12 file holds no private key entry");
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException(file + ": cannot read PKCS12 key store (wrong password?): "
                    + e.getMessage(), e);
        }
    }

    /** The server certificate (the leaf of the chain). Generates a self-signed certificate on first call. */
    public X509Certificate certificate() {
        return material.get().chain.get(0);
    }

    /** The whole chain, leaf first. */
    public List<X509Certificate> certificateChain() {
        return material.get().chain;
    }

    /** The server certificate in PEM form, for clients that take a CA file (curl --cacert, Python's cafile). */
    public String certificatePem() {
        try {
            return Pem.encode("CERTIFICATE", certificate().getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes {@link #certificatePem()} to a file and returns the path. */
    public Path writeCertificatePem(Path file) {
        try {
            Files.writeString(file, certificatePem(), StandardCharsets.US_ASCII);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** A trust store (type PKCS12, no password) holding the server certificate, for clients to trust it. */
    public KeyStore trustStore() {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setCertificateEntry("mailkit-server", certificate());
            return ks;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot build trust store: " + e.getMessage(), e);
        }
    }

    /**
     * A client-side {@link SSLContext} that trusts exactly this server's certificate (not the JVM's default CAs), for
     * tests and tools that connect to this server. Host names are checked by the client as usual.
     */
    public SSLContext clientSslContext() {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trustStore());
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build client SSLContext: " + e.getMessage(), e);
        }
    }

    /** The server-side {@link SSLContext}. Its sockets must still be limited to {@link #PROTOCOLS}; use {@link #wrap}. */
    public SSLContext serverSslContext() {
        return material.get().context;
    }

    /**
     * Layers server-mode TLS over an accepted socket (for STARTTLS, or implicit TLS on accept). The handshake happens on
     * first I/O or {@link SSLSocket#startHandshake()}. Only TLS 1.3 and 1.2 are enabled. Closing the returned socket
     * closes the underlying one.
     */
    public SSLSocket wrap(Socket plain) throws IOException {
        SSLSocket s = (SSLSocket) serverSslContext().getSocketFactory().createSocket(plain,
                plain.getInetAddress().getHostAddress(), plain.getPort(), true);
        s.setUseClientMode(false);
        SSLParameters p = s.getSSLParameters();
        p.setProtocols(enabled(s.getSupportedProtocols()));
        s.setSSLParameters(p);
        return s;
    }

    /** Whether the certificate was generated by mailkit. */
    public boolean isSelfSigned() {
        return material.get().generated;
    }

    @Override
    public String toString() {
        return current != null ? "TlsConfig{replaceable, now " + current.get().description + "}"
                : "TlsConfig{" + description + "}";
    }

    private static String[] enabled(String[] supported) {
        List<String> out = new ArrayList<>();
        List<String> sup = Arrays.asList(supported);
        for (String p : PROTOCOLS) {
            if (sup.contains(p)) {
                out.add(p);
            }
        }
        return out.toArray(new String[0]);
    }

    private static String read(Path p) {
        Objects.requireNonNull(p, "path");
        try {
            return Files.readString(p, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + p + ": " + e, e);
        }
    }

    private static <T> Supplier<T> memoize(Supplier<T> s) {
        return new Supplier<>() {
            private volatile T value;

            @Override
            public T get() {
                T v = value;
                if (v == null) {
                    synchronized (this) {
                        v = value;
                        if (v == null) {
                            v = s.get();
                            value = v;
                        }
                    }
                }
                return v;
            }
        };
    }

    private static final class Material {
        final List<X509Certificate> chain;
        final SSLContext context;
        final boolean generated;

        private Material(List<X509Certificate> chain, SSLContext context, boolean generated) {
            this.chain = Collections.unmodifiableList(new ArrayList<>(chain));
            this.context = context;
            this.generated = generated;
        }

        static Material of(PrivateKey key, List<X509Certificate> chain, boolean generated) {
            if (!generated && !chain.isEmpty()) {
                Pem.requireMatch(key, chain.get(0));
            }
            try {
                char[] pw = new char[0];
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                ks.setKeyEntry("server", key, pw, chain.toArray(new Certificate[0]));
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, pw);
                SSLContext ctx = SSLContext.getInstance("TLS");
                ctx.init(kmf.getKeyManagers(), null, null);
                return new Material(chain, ctx, generated);
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalArgumentException("the private key does not fit the certificate or is unusable: "
                        + e.getMessage(), e);
            }
        }
    }
}
