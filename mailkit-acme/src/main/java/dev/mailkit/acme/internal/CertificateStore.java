package dev.mailkit.acme.internal;

import dev.mailkit.core.tls.Pem;
import dev.mailkit.core.tls.TlsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The storage directory: {@code account.pem} (the ACME account's key pair), {@code key.pem} (the certificate's
 * private key) and {@code certificate.pem} (the chain, leaf first), the directory owner-only (0700) and each file
 * owner-only (0600) on POSIX file systems. Each file is written to a temporary file, flushed, renamed over the old one
 * and the directory flushed, so a crash leaves the old file or the new one, never half of one. The key is written
 * before the chain: after a crash between the two they do not match, {@link #certificate()} says so and the next
 * attempt issues a new certificate. Not thread-safe: used from the renewal thread.
 */
public final class CertificateStore {
    static final String ACCOUNT = "account.pem";
    static final String KEY = "key.pem";
    static final String CHAIN = "certificate.pem";

    private final Path dir;

    private CertificateStore(Path dir) {
        this.dir = dir;
    }

    /** Opens (and creates, owner-only) the directory. */
    public static CertificateStore open(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, posix("rwx------"));
        }
        if (posix()) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
        return new CertificateStore(dir);
    }

    /** The directory. */
    public Path directory() {
        return dir;
    }

    /** The PEM chain file, leaf first. */
    public Path chainFile() {
        return dir.resolve(CHAIN);
    }

    /** The PEM private key file of the certificate. */
    public Path keyFile() {
        return dir.resolve(KEY);
    }

    /** The account key pair, made and written now if there is none yet. */
    public KeyPair accountKey() throws IOException {
        Path file = dir.resolve(ACCOUNT);
        if (Files.exists(file)) {
            try {
                return KeyFiles.decode(Files.readString(file, StandardCharsets.US_ASCII), file.toString());
            } catch (IllegalArgumentException e) {
                throw new IOException(e.getMessage() + " (delete it to register a new ACME account)", e);
            }
        }
        KeyPair pair = KeyFiles.generate();
        write(file, KeyFiles.encode(pair));
        return pair;
    }

    /** The stored certificate and key, if both are there and match; a pair that does not is logged and ignored. */
    public Optional<TlsConfig> certificate() {
        if (!Files.exists(chainFile()) || !Files.exists(keyFile())) {
            return Optional.empty();
        }
        try {
            TlsConfig tls = TlsConfig.fromPem(chainFile(), keyFile());
            tls.certificate();
            return Optional.of(tls);
        } catch (IllegalArgumentException e) {
            Log.LOG.warn("ACME: ignoring the stored certificate, a new one will be requested: {}", e.getMessage());
            return Optional.empty();
        }
    }

    /** Writes a new key and chain (key first) and reads them back as a TLS configuration. */
    public TlsConfig save(PrivateKey key, List<X509Certificate> chain) throws IOException {
        StringBuilder pem = new StringBuilder();
        try {
            for (X509Certificate c : chain) {
                pem.append(Pem.encode("CERTIFICATE", c.getEncoded()));
            }
        } catch (CertificateEncodingException e) {
            throw new IOException("cannot encode the issued certificate: " + e.getMessage(), e);
        }
        write(keyFile(), Pem.encode("PRIVATE KEY", key.getEncoded()));
        write(chainFile(), pem.toString());
        return TlsConfig.fromPem(chainFile(), keyFile());
    }

    private void write(Path target, String content) throws IOException {
        Path tmp = dir.resolve(target.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try (FileChannel ch = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                posix("rw-------"))) {
            ByteBuffer b = ByteBuffer.wrap(content.getBytes(StandardCharsets.US_ASCII));
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // some file systems cannot flush a directory; the rename is still atomic
        }
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    private static FileAttribute<?>[] posix(String perms) {
        if (!posix()) {
            return new FileAttribute<?>[0];
        }
        Set<PosixFilePermission> p = PosixFilePermissions.fromString(perms);
        return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(p)};
    }

    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger("dev.mailkit.acme");
    }
}
