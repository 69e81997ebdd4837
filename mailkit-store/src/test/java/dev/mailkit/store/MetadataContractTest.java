package dev.mailkit.store;

import dev.mailkit.core.MailAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The METADATA (RFC 5464) contract every store that keeps metadata fulfils: server and mailbox entries, all-or-nothing
 * changes within the {@link MetadataLimits}, entries removed with their mailbox and moved by RENAME, and (for a
 * durable store) kept across a restart. A store's test extends this class.
 */
public abstract class MetadataContractTest {
    /** The limits the tests that do not test limits use. */
    protected static final MetadataLimits ROOMY = new MetadataLimits(100, 1000, 10_000);

    private final List<MailStore> stores = new ArrayList<>();

    /**
     * A store with these limits: the same data as the previous call's when {@code again} (a restart), else a new,
     * empty one.
     */
    protected abstract MailStore createStore(MetadataLimits limits, boolean again);

    /** Whether the store keeps its data across a restart. */
    protected boolean durable() {
        return true;
    }

    private MailAccount ann(MetadataLimits limits, boolean again) {
        MailStore s = createStore(limits, again);
        stores.add(s);
        return s.account(MailAddress.parse("ann@example.com"));
    }

    @AfterEach
    void closeStores() {
        for (MailStore s : stores) {
            s.close();
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Map<String, String> text(Map<String, byte[]> m) {
        Map<String, String> out = new HashMap<>();
        m.forEach((k, v) -> out.put(k, new String(v, StandardCharsets.UTF_8)));
        return out;
    }

    private static Map<String, byte[]> changes(Object... kv) {
        Map<String, byte[]> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1] == null ? null : b((String) kv[i + 1]));
        }
        return m;
    }

    @Test
    void serverAndMailboxEntriesAreKeptApart() {
        MailAccount a = ann(ROOMY, false);
        AccountMetadata md = a.metadata().orElseThrow();
        a.create(MailboxName.of("Work"));
        md.set(null, changes("/private/comment", "account", "/shared/vendor/x", "1"));
        md.set(MailboxName.of("Work"), changes("/private/comment", "work"));
        md.set(MailboxName.INBOX, changes("/shared/comment", "inbox", "/private/a", ""));
        assertThat(text(md.entries(null))).containsExactlyInAnyOrderEntriesOf(
                Map.of("/private/comment", "account", "/shared/vendor/x", "1"));
        assertThat(text(md.entries(MailboxName.of("Work")))).isEqualTo(Map.of("/private/comment", "work"));
        assertThat(md.entries(MailboxName.INBOX).keySet()).containsExactly("/private/a", "/shared/comment");
        md.set(MailboxName.INBOX, changes("/private/a", null, "/shared/comment", "changed"));
        assertThat(text(md.entries(MailboxName.INBOX))).isEqualTo(Map.of("/shared/comment", "changed"));
        assertThatThrownBy(() -> md.entries(MailboxName.of("nothing")))
                .isInstanceOfSatisfying(MailStoreException.class,
                        e -> assertThat(e.reason()).isEqualTo(MailStoreException.Reason.NOT_FOUND));
        assertThatThrownBy(() -> md.set(MailboxName.of("nothing"), changes("/private/x", "1")))
                .isInstanceOf(MailStoreException.class);
    }

    @Test
    void binaryValuesComeBackAsTheyWent() {
        MailAccount a = ann(ROOMY, false);
        byte[] v = {0, 1, (byte) 0xff, '\r', '\n', 0};
        a.metadata().orElseThrow().set(null, Map.of("/private/bin", v));
        assertThat(a.metadata().orElseThrow().entries(null).get("/private/bin")).isEqualTo(v);
    }

    @Test
    void deletingAMailboxRemovesItsEntriesAndRenamingMovesThem() {
        MailAccount a = ann(ROOMY, false);
        AccountMetadata md = a.metadata().orElseThrow();
        a.create(MailboxName.of("A"));
        a.create(MailboxName.of("A.B"));
        a.create(MailboxName.of("Gone"));
        md.set(MailboxName.of("A"), changes("/private/comment", "a"));
        md.set(MailboxName.of("A.B"), changes("/private/comment", "b"));
        md.set(MailboxName.of("Gone"), changes("/private/comment", "gone"));
        a.rename(MailboxName.of("A"), MailboxName.of("C"));
        assertThat(text(md.entries(MailboxName.of("C")))).isEqualTo(Map.of("/private/comment", "a"));
        assertThat(text(md.entries(MailboxName.of("C.B")))).isEqualTo(Map.of("/private/comment", "b"));
        a.delete(MailboxName.of("Gone"));
        a.create(MailboxName.of("Gone"));
        assertThat(md.entries(MailboxName.of("Gone"))).as("a new mailbox of the old name has none").isEmpty();
        a.create(MailboxName.of("A"));
        assertThat(md.entries(MailboxName.of("A"))).isEmpty();
        md.set(MailboxName.of("C"), changes("/private/two", "2"));
        assertThat(md.entries(MailboxName.of("C")).keySet()).containsExactly("/private/comment", "/private/two");
    }

    @Test
    void aValueOverTheLimitIsRefusedAndNothingOfTheChangeIsKept() {
        MailAccount a = ann(new MetadataLimits(100, 4, 10_000), false);
        AccountMetadata md = a.metadata().orElseThrow();
        assertThatThrownBy(() -> md.set(null, changes("/private/ok", "1234", "/private/big", "12345")))
                .isInstanceOfSatisfying(MetadataException.class, e -> {
                    assertThat(e.kind()).isEqualTo(MetadataException.Kind.TOO_BIG);
                    assertThat(e.maxSize()).isEqualTo(4);
                });
        assertThat(md.entries(null)).isEmpty();
    }

    @Test
    void tooManyEntriesOrOctetsAreRefusedButReplacingAndRemovingStillWork() {
        MailAccount a = ann(new MetadataLimits(3, 100, 10_000), false);
        AccountMetadata md = a.metadata().orElseThrow();
        md.set(null, changes("/private/a", "1", "/private/b", "2"));
        md.set(MailboxName.INBOX, changes("/private/c", "3"));
        assertThatThrownBy(() -> md.set(MailboxName.INBOX, changes("/private/d", "4")))
                .isInstanceOfSatisfying(MetadataException.class,
                        e -> assertThat(e.kind()).isEqualTo(MetadataException.Kind.TOO_MANY));
        md.set(null, changes("/private/a", "replaced"));
        md.set(null, changes("/private/b", null, "/private/d", "4"));
        assertThat(text(md.entries(null))).isEqualTo(Map.of("/private/a", "replaced", "/private/d", "4"));

        MailAccount small = ann(new MetadataLimits(100, 100, 40), false);
        AccountMetadata s = small.metadata().orElseThrow();
        s.set(null, changes("/private/a", "x".repeat(20))); // 10 + 20 octets
        assertThatThrownBy(() -> s.set(null, changes("/private/b", "y".repeat(5))))
                .isInstanceOfSatisfying(MetadataException.class,
                        e -> assertThat(e.kind()).isEqualTo(MetadataException.Kind.TOO_MANY));
        assertThat(s.entries(null).keySet()).containsExactly("/private/a");
    }

    @Test
    void entriesSurviveARestart() {
        if (!durable()) {
            return;
        }
        MailAccount a = ann(ROOMY, false);
        AccountMetadata md = a.metadata().orElseThrow();
        a.create(MailboxName.of("Kept"));
        a.create(MailboxName.of("Gone"));
        md.set(null, changes("/private/comment", "server"));
        md.set(MailboxName.of("Kept"), Map.of("/shared/comment", new byte[] {'k', 0, '\t', '\n'}));
        md.set(MailboxName.of("Gone"), changes("/private/comment", "gone"));
        a.delete(MailboxName.of("Gone"));
        a.rename(MailboxName.of("Kept"), MailboxName.of("Moved"));
        stores.remove(stores.size() - 1).close();

        MailAccount again = ann(ROOMY, true);
        AccountMetadata m2 = again.metadata().orElseThrow();
        assertThat(text(m2.entries(null))).isEqualTo(Map.of("/private/comment", "server"));
        assertThat(m2.entries(MailboxName.of("Moved")).get("/shared/comment")).isEqualTo(new byte[] {'k', 0, '\t', '\n'});
        again.create(MailboxName.of("Gone"));
        assertThat(m2.entries(MailboxName.of("Gone"))).isEmpty();
    }

    @Test
    void concurrentChangesKeepTheLimit() throws Exception {
        MailAccount a = ann(new MetadataLimits(20, 100, 10_000), false);
        AccountMetadata md = a.metadata().orElseThrow();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    int ok = 0;
                    for (int i = 0; i < 10; i++) {
                        try {
                            md.set(null, changes("/private/t" + thread + "/" + i, "v"));
                            ok++;
                        } catch (MetadataException e) {
                            assertThat(e.kind()).isEqualTo(MetadataException.Kind.TOO_MANY);
                        }
                    }
                    return ok;
                }));
            }
            int ok = 0;
            for (Future<Integer> f : done) {
                ok += f.get(60, TimeUnit.SECONDS);
            }
            assertThat(ok).isEqualTo(20);
            assertThat(md.entries(null)).hasSize(20);
        } finally {
            pool.shutdownNow();
        }
    }
}
