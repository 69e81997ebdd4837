package dev.mailkit.scan.daemons;

import dev.mailkit.scan.MilterClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/**
 * OpenDKIM as a milter on a Unix socket: in {@link Mode#SIGN} mode it signs mail from example.test (selector s1,
 * a key generated here) for clients on 127.0.0.1 or authenticated ones; in {@link Mode#VERIFY} mode it checks
 * signatures with the public key from a test key file (no DNS) and adds Authentication-Results for
 * {@code verifier.test}.
 */
public final class OpenDkim extends Daemon {
    /** What it does. */
    public enum Mode {
        /** Sign mail from example.test. */
        SIGN,
        /** Verify signatures of example.test against the generated key. */
        VERIFY
    }

    private final Path socket;

    OpenDkim(Mode mode, KeyPair key) {
        super("opendkim-" + mode.name().toLowerCase(java.util.Locale.ROOT));
        Path opendkim = program("opendkim");
        socket = dir.resolve("opendkim.sock");
        try {
            Path keyFile = dir.resolve("s1.private");
            Files.writeString(keyFile, "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(key.getPrivate().getEncoded())
                    + "\n-----END PRIVATE KEY-----\n");
            Path keys = dir.resolve("test.keys");
            Files.writeString(keys, "s1._domainkey.example.test v=DKIM1; k=rsa; p="
                    + Base64.getEncoder().encodeToString(key.getPublic().getEncoded()) + "\n");
            Path internal = dir.resolve("internal-hosts");
            // a verifier does not check mail from "internal" hosts (127.0.0.1 by default): make the test client external
            Files.writeString(internal, mode == Mode.SIGN ? "127.0.0.1\n" : "192.0.2.1\n");
            Files.writeString(dir.resolve("opendkim.conf"), String.join("\n",
                    "InternalHosts " + internal,
                    "Socket local:" + socket,
                    "UMask 000",
                    "Mode " + (mode == Mode.SIGN ? "s" : "v"),
                    "Domain example.test",
                    "Selector s1",
                    "KeyFile " + keyFile,
                    "TestPublicKeys " + keys,
                    "AuthservID verifier.test",
                    "Canonicalization relaxed/relaxed",
                    "Background no",
                    "RequireSafeKeys false",
                    "Syslog no",
                    "") + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        MilterClient probe = MilterClient.builder(address()).timeout(Duration.ofSeconds(2)).build();
        start(List.of(opendkim.toString(), "-f", "-x", dir.resolve("opendkim.conf").toString()),
                Duration.ofSeconds(30), () -> probe.ping() != null);
    }

    /** A fresh RSA key for the pair of a signer and a verifier. */
    static KeyPair newKey() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code unix:PATH}. */
    public String address() {
        return "unix:" + socket;
    }
}
