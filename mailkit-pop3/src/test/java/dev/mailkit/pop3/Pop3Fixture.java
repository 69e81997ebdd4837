package dev.mailkit.pop3;

import dev.mailkit.core.MailAddress;
import dev.mailkit.core.MessageSource;
import dev.mailkit.core.auth.InMemoryUserDirectory;
import dev.mailkit.core.server.AuthFailurePenalty;
import dev.mailkit.core.tls.TlsConfig;
import dev.mailkit.store.MailStore;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.memory.MemoryMailStore;

import java.util.function.Consumer;

/**
 * A store (in memory unless given) with two users (ann@local.test / secret, bob@local.test / hunter2), a shared self-signed TLS
 * configuration, and servers over them that tests close.
 */
final class Pop3Fixture implements AutoCloseable {
    static final String ANN = "ann@local.test";
    static final String BOB = "bob@local.test";
    /** One certificate for the whole test run: generating one costs tens of milliseconds. */
    static final TlsConfig TLS = TlsConfig.selfSigned();

    final MailStore store;
    final InMemoryUserDirectory users = InMemoryUserDirectory.builder()
            .passwordHashIterations(1000)
            .user(ANN, "secret")
            .user(BOB, "hunter2")
            .build();
    private final java.util.List<Pop3Server> servers = new java.util.ArrayList<>();

    /** Over a new in-memory store. */
    Pop3Fixture() {
        this(MemoryMailStore.create());
    }

    /** Over the given store (closed with the fixture). */
    Pop3Fixture(MailStore store) {
        this.store = store;
    }

    /** A started plaintext server without login delays. */
    Pop3Server start() {
        return start(b -> { });
    }

    /** A started server without login delays, configured further by the test. */
    Pop3Server start(Consumer<Pop3Server.Builder> config) {
        Pop3Server.Builder b = Pop3Server.builder().store(store).users(users)
                .authFailurePenalty(AuthFailurePenalty.none());
        config.accept(b);
        Pop3Server s = b.build().start();
        servers.add(s);
        return s;
    }

    /** Appends a message (text with LF or CRLF line ends) to a user's INBOX and returns its UID. */
    long deliver(String user, String text) {
        return deliver(user, MessageSource.ofText(text));
    }

    long deliver(String user, MessageSource message) {
        try (Mailbox box = inbox(user)) {
            return box.append(message);
        }
    }

    Mailbox inbox(String user) {
        return store.account(MailAddress.parse(user)).open(MailboxName.INBOX);
    }

    int count(String user) {
        try (Mailbox box = inbox(user)) {
            return box.status().messages();
        }
    }

    static String message(int i) {
        return "From: sender@example.com\r\nTo: " + ANN + "\r\nSubject: message " + i
                + "\r\nMessage-ID: <m" + i + "@example.com>\r\n\r\nBody of message " + i + "\r\n";
    }

    @Override
    public void close() {
        servers.forEach(Pop3Server::close);
        store.close();
    }
}
