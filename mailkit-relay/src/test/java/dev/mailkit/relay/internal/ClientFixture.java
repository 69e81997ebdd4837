package dev.mailkit.relay.internal;

import dev.mailkit.relay.spi.QueueStorage;

import dev.mailkit.core.MailAddress;
import dev.mailkit.core.tls.TlsConfig;
import dev.mailkit.relay.RelayTls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** What the SMTP client's tests share: a queue store for the messages, the watchdog, settings and certificates. */
final class ClientFixture implements AutoCloseable {
    /** The certificate the client trusts for required TLS, for {@code localhost}. */
    static final TlsConfig TRUSTED = TlsConfig.selfSigned("localhost");
    /** A certificate for {@code localhost} that the client does not trust. */
    static final TlsConfig UNTRUSTED = TlsConfig.selfSigned("localhost");

    final DiskStorage store;
    final Watchdog watchdog = new Watchdog();
    private int ids;

    ClientFixture(Path dir) throws IOException {
        this.store = new DiskStorage(dir);
        store.recover(); // opens the log, as the engine's start does
    }

    /** Settings for MX delivery with the given TLS mode: 5 s for every step. */
    static ClientSettings settings(RelayTls tls) {
        return settings(tls, Duration.ofSeconds(5), Duration.ofSeconds(5));
    }

    static ClientSettings settings(RelayTls tls, Duration commandTimeout, Duration dataTimeout) {
        return new ClientSettings("relay.test", Duration.ofSeconds(5), commandTimeout, dataTimeout, tls,
                TRUSTED.clientSslContext(), TlsContexts.trustAll(), null, null, false);
    }

    /** Settings for a smart host with AUTH as {@code user}/{@code secret}. */
    static ClientSettings auth(RelayTls tls, boolean allowInsecureAuth) {
        return new ClientSettings("relay.test", Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5),
                tls, TRUSTED.clientSslContext(), TlsContexts.trustAll(), "user", "secret".toCharArray(),
                allowInsecureAuth);
    }

    static String base64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    /** A queued message from sender@origin.test to the recipients, with no parameters. */
    StoredMessage message(String content, String... recipients) throws IOException {
        return message(Map.of(), content.getBytes(StandardCharsets.UTF_8), recipients);
    }

    /** A queued message from sender@origin.test. */
    StoredMessage message(Map<String, String> mailParameters, byte[] content, String... recipients)
            throws IOException {
        List<MailAddress> rcpts = new ArrayList<>();
        for (String r : recipients) {
            rcpts.add(MailAddress.parse(r));
        }
        QueueFile.Meta meta = new QueueFile.Meta("T" + (++ids), Instant.parse("2026-01-01T00:00:00Z"),
                MailAddress.parse("sender@origin.test"), mailParameters, rcpts, List.of(), "test", false);
        QueueStorage.Prepared p = store.write(DiskStorage.message(meta), out -> out.write(content), content.length);
        store.commit(p);
        return new StoredMessage(meta, null, p.contentLength());
    }

    static List<MailAddress> addresses(StoredMessage m) {
        return m.recipients;
    }

    /** Opens a connection to the server as host {@code localhost}. */
    /**
     * Opens a session with these settings, sends one small message to {@code a@remote.test} and says QUIT: the
     * outcome for that recipient.
     */
    Outcome sendOne(ScriptedServer server, ClientSettings settings) throws Exception {
        StoredMessage m = message("Subject: hi\r\n\r\nbody\r\n", "a@remote.test");
        SmtpConnection conn = open(server, settings);
        java.util.List<Outcome> out = conn.send(m, m.recipients, store);
        conn.quit();
        if (out.size() != 1) {
            throw new AssertionError("one outcome expected for one recipient, got " + out);
        }
        return out.get(0);
    }

    SmtpConnection open(ScriptedServer server, ClientSettings settings) throws SessionFailure {
        return open("localhost", server, settings);
    }

    SmtpConnection open(String host, ScriptedServer server, ClientSettings settings) throws SessionFailure {
        return SmtpConnection.open(host, server.address(), settings, watchdog);
    }

    @Override
    public void close() {
        watchdog.close();
        store.close();
    }
}
