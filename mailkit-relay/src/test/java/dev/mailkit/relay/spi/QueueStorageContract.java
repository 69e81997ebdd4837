package dev.mailkit.relay.spi;

import dev.mailkit.core.Envelope;
import dev.mailkit.core.MailAddress;
import dev.mailkit.core.server.AuthFailurePenalty;
import dev.mailkit.core.sink.InMemorySink;
import dev.mailkit.dns.StaticDnsResolver;
import dev.mailkit.relay.QueueEntry;
import dev.mailkit.relay.RelayQueue;
import dev.mailkit.relay.RelayTls;
import dev.mailkit.smtp.SmtpServer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every {@link QueueStorage} must do, run against the disk storage (DiskStorageContractTest in mailkit-relay)
 * and the PostgreSQL one (PostgresQueueStorageContractTest in mailkit-postgres): content streamed in and out
 * unchanged, nothing visible before its commit, a write left uncommitted (a crash) or aborted forgotten, each change
 * recorded and recovered after a restart, removal, and a relay over the storage delivering through a real SMTP
 * server. A restart is {@link #reopen}: close the storage and open it again on the same place under the same node.
 */
public abstract class QueueStorageContract {
    /** A fresh, empty storage. */
    protected abstract QueueStorage open() throws Exception;

    /** Closes {@code storage} (as a process would on exit or crash) and opens it again on the same place. */
    protected abstract QueueStorage reopen(QueueStorage storage) throws Exception;

    private static int ids;

    static QueuedMessage message(String... to) {
        List<MailAddress> rcpts = new ArrayList<>();
        List<Map<String, String>> params = new ArrayList<>();
        for (String t : to) {
            rcpts.add(MailAddress.parse(t));
            params.add(Map.of("NOTIFY", "SUCCESS,FAILURE", "ORCPT", "rfc822;" + t));
        }
        return new QueuedMessage("C" + System.nanoTime() + "x" + (++ids), Instant.parse("2030-01-02T03:04:05.678Z"),
                MailAddress.parse("sender@origin.test"), Map.of("BODY", "8BITMIME", "ENVID", "abc+2Bdef"), rcpts,
                params, "tx-" + ids, false);
    }

    static byte[] bytes(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    static byte[] read(QueueStorage s, String id) throws IOException {
        try (InputStream in = s.content(id)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[7919]; // not a divisor of any chunk size
            for (int n; (n = in.read(buf)) >= 0; ) {
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        }
    }

    static QueueStorage.Recovered only(List<QueueStorage.Recovered> all, String id) {
        return all.stream().filter(r -> r.message().id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError(id + " not recovered from " + all.size() + " message(s)"));
    }

    @Test
    void contentOfEverySizeStreamsInAndOutUnchanged() throws Exception {
        QueueStorage s = open();
        try {
            assertThat(s.recover()).isEmpty();
            int[] sizes = {1, 1000, 256 * 1024 - 1, 256 * 1024, 256 * 1024 + 1, 3 * 1024 * 1024 + 17};
            List<String> ids = new ArrayList<>();
            for (int size : sizes) {
                byte[] content = bytes(size, size);
                QueuedMessage m = message("a@one.test");
                // the writer hands over the content in odd pieces, as a stream does
                QueueStorage.Prepared p = s.write(m, out -> {
                    for (int off = 0; off < content.length; off += 1013) {
                        out.write(content, off, Math.min(1013, content.length - off));
                    }
                }, 100);
                assertThat(p.id()).isEqualTo(m.id());
                assertThat(p.contentLength()).isEqualTo(size);
                s.commit(p);
                assertThat(read(s, m.id())).isEqualTo(content);
                ids.add(m.id());
            }
            s = reopen(s);
            List<QueueStorage.Recovered> all = s.recover();
            assertThat(all).extracting(r -> r.message().id()).containsExactlyInAnyOrderElementsOf(ids);
            for (int i = 0; i < sizes.length; i++) {
                assertThat(only(all, ids.get(i)).contentLength()).isEqualTo(sizes[i]);
                assertThat(MessageDigest.getInstance("SHA-256").digest(read(s, ids.get(i))))
                        .isEqualTo(MessageDigest.getInstance("SHA-256").digest(bytes(sizes[i], sizes[i])));
            }
        } finally {
            s.close();
        }
    }

    @Test
    void theEnvelopeComesBackAsItWasWritten() throws Exception {
        QueueStorage s = open();
        try {
            s.recover();
            QueuedMessage m = message("a@one.test", "b@two.test", "c@three.test");
            QueuedMessage bounce = new QueuedMessage("N" + m.id(), m.created(), null, Map.of(),
                    List.of(MailAddress.parse("sender@origin.test")), null, "api", true);
            s.commit(s.write(m, out -> out.write("Subject: x\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII)),
                    20));
            s.commit(s.write(bounce, out -> out.write('x'), 1));
            s = reopen(s);
            List<QueueStorage.Recovered> all = s.recover();
            QueuedMessage r = only(all, m.id()).message();
            assertThat(r.created()).isEqualTo(m.created());
            assertThat(r.reversePath()).isEqualTo(m.reversePath());
            assertThat(r.mailParameters()).isEqualTo(m.mailParameters());
            assertThat(r.recipients()).isEqualTo(m.recipients());
            assertThat(r.recipientParameters()).isEqualTo(m.recipientParameters());
            assertThat(r.origin()).isEqualTo(m.origin());
            assertThat(r.notification()).isFalse();
            assertThat(only(all, m.id()).changes()).isEmpty();
            QueuedMessage n = only(all, bounce.id()).message();
            assertThat(n.reversePath()).isNull();
            assertThat(n.notification()).isTrue();
            assertThat(n.recipientParameters()).containsExactly(Map.of());
        } finally {
            s.close();
        }
    }

    @Test
    void nothingUncommittedOrAbortedIsRecovered() throws Exception {
        QueueStorage s = open();
        try {
            s.recover();
            QueuedMessage crashed = message("a@one.test");
            QueuedMessage aborted = message("b@one.test");
            QueuedMessage kept = message("c@one.test");
            s.write(crashed, out -> out.write(bytes(300_000, 1)), 300_000); // never committed: the process dies
            s.abort(s.write(aborted, out -> out.write(bytes(10, 2)), 10));
            s.commit(s.write(kept, out -> out.write(bytes(10, 3)), 10));
            s = reopen(s);
            assertThat(s.recover()).extracting(r -> r.message().id()).containsExactly(kept.id());
            QueueStorage t = s;
            assertThatThrownBy(() -> read(t, aborted.id())).isInstanceOf(IOException.class);
            assertThatThrownBy(() -> read(t, crashed.id())).isInstanceOf(IOException.class);
        } finally {
            s.close();
        }
    }

    @Test
    void aTakenIdIsRefused() throws Exception {
        QueueStorage s = open();
        try {
            s.recover();
            QueuedMessage m = message("a@one.test");
            s.commit(s.write(m, out -> out.write('a'), 1));
            assertThatThrownBy(() -> s.write(m, out -> out.write('b'), 1))
                    .isInstanceOf(FileAlreadyExistsException.class);
            assertThat(read(s, m.id())).containsExactly('a');
        } finally {
            s.close();
        }
    }

    @Test
    void everyRecordedChangeIsRecovered() throws Exception {
        QueueStorage s = open();
        try {
            s.recover();
            QueuedMessage m = message("a@one.test", "b@one.test", "c@one.test");
            s.commit(s.write(m, out -> out.write(bytes(500, 4)), 500));
            s.record(m.id(), List.of(StateChange.delivered(0, 1000, "250 2.0.0 Ok: queued as X")));
            s.record(m.id(), List.of(StateChange.bounced(1, 2000, "5.1.1", "550 5.1.1 no such user"),
                    StateChange.attempted(2000, 1, 302_000)));
            s.record(m.id(), List.of(StateChange.held(3000)));
            s = reopen(s);
            QueueStorage.Recovered r = only(s.recover(), m.id());
            List<String> seen = new ArrayList<>();
            boolean held = false;
            int attempts = 0;
            long next = -1;
            for (StateChange c : r.changes()) {
                switch (c.kind()) {
                    case DELIVERED -> seen.add("D" + c.index() + " " + c.reply());
                    case BOUNCED -> seen.add("B" + c.index() + " " + c.status() + " " + c.reply());
                    case ATTEMPTED -> {
                        attempts = c.attempts();
                        next = c.nextAttempt();
                    }
                    case HELD -> held = true;
                    case RELEASED -> held = false;
                }
            }
            assertThat(seen).containsExactlyInAnyOrder("D0 250 2.0.0 Ok: queued as X",
                    "B1 5.1.1 550 5.1.1 no such user");
            assertThat(attempts).isEqualTo(1);
            assertThat(next).isEqualTo(302_000);
            assertThat(held).isTrue();
            s.record(m.id(), List.of(StateChange.released(4000)));
            s = reopen(s);
            assertThat(held(only(s.recover(), m.id()).changes())).isFalse();
        } finally {
            s.close();
        }
    }

    /** Whether the changes, replayed, leave the message held. */
    static boolean held(List<StateChange> changes) {
        boolean held = false;
        for (StateChange c : changes) {
            if (c.kind() == StateChange.Kind.HELD) {
                held = true;
            } else if (c.kind() == StateChange.Kind.RELEASED) {
                held = false;
            }
        }
        return held;
    }

    @Test
    void aRemovedMessageIsGone() throws Exception {
        QueueStorage s = open();
        try {
            s.recover();
            QueuedMessage a = message("a@one.test");
            QueuedMessage b = message("b@one.test");
            s.commit(s.write(a, out -> out.write(bytes(400_000, 5)), 400_000));
            s.commit(s.write(b, out -> out.write(bytes(100, 6)), 100));
            s.record(a.id(), List.of(StateChange.attempted(1, 1, 2)));
            s.remove(a.id(), true);
            s.remove(b.id(), false);
            QueueStorage t = s;
            assertThatThrownBy(() -> read(t, a.id())).isInstanceOf(IOException.class);
            s = reopen(s);
            assertThat(s.recover()).isEmpty();
        } finally {
            s.close();
        }
    }

    @Test
    void aRelayOverTheStorageDeliversThroughARealSmtpServerAndEmptiesIt() throws Exception {
        InMemorySink sink = new InMemorySink();
        try (SmtpServer mx = SmtpServer.builder().bindAddress(InetAddress.getLoopbackAddress()).mx(0)
                .acceptAllDomains().sink(sink).authFailurePenalty(AuthFailurePenalty.none()).build().start()) {
            StaticDnsResolver dns = StaticDnsResolver.builder().mx("one.test", 10, "mx.one.test")
                    .address("mx.one.test", "127.0.0.1").build();
            QueueStorage storage = open();
            String id;
            try (RelayQueue q = RelayQueue.builder(storage).resolver(dns).mxPort(mx.port()).tls(RelayTls.DISABLED)
                    .build().start()) {
                byte[] body = ("Subject: over the storage\nTo: a@one.test\n\n" + "line\n".repeat(100_000))
                        .getBytes(StandardCharsets.US_ASCII);
                id = q.submit(Envelope.builder().reversePath("s@origin.test").recipient("a@one.test")
                        .recipient("b@one.test").build(), body);
                assertThat(sink.await(1, Duration.ofSeconds(30))).isTrue();
                assertThat(q.awaitEmpty(Duration.ofSeconds(30))).isTrue();
                byte[] got;
                try (InputStream in = sink.messages().get(0).source().openStream()) {
                    got = in.readAllBytes();
                }
                assertThat(new String(got, StandardCharsets.US_ASCII)).contains("Subject: over the storage\r\n")
                        .endsWith("line\r\n");
                assertThat(sink.messages().get(0).envelope().recipients()).extracting(Object::toString)
                        .containsExactlyInAnyOrder("a@one.test", "b@one.test");
            }
            QueueStorage again = reopen(storage);
            try {
                assertThat(again.recover()).extracting(r -> r.message().id()).doesNotContain(id).isEmpty();
            } finally {
                again.close();
            }
        }
    }

    @Test
    void heldMessagesStayHeldAcrossARestartOfTheRelay() throws Exception {
        StaticDnsResolver dns = StaticDnsResolver.builder().mx("down.test", 10, "mx.down.test")
                .address("mx.down.test", "127.0.0.2").build();
        QueueStorage storage = open();
        String id;
        try (RelayQueue q = RelayQueue.builder(storage).resolver(dns).mxPort(1).tls(RelayTls.DISABLED).build()
                .start()) {
            id = q.submit(Envelope.builder().reversePath("s@origin.test").recipient("a@down.test").build(),
                    "Subject: held\r\n\r\nx\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(q.hold(id)).isTrue();
        }
        QueueStorage again = reopen(storage);
        try (RelayQueue q = RelayQueue.builder(again).resolver(dns).mxPort(1).tls(RelayTls.DISABLED).build()
                .start()) {
            QueueEntry e = q.entry(id).orElseThrow();
            assertThat(e.isHeld()).isTrue();
            assertThat(e.recipients()).extracting(QueueEntry.Recipient::state)
                    .containsExactly(QueueEntry.State.PENDING);
            assertThat(q.delete(id)).isTrue();
            assertThat(q.list()).isEmpty();
        }
    }
}
