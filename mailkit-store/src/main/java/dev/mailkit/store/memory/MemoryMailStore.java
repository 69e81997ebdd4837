package dev.mailkit.store.memory;

import dev.mailkit.store.AccountId;
import dev.mailkit.store.MailAccount;
import dev.mailkit.store.MailStore;
import dev.mailkit.store.MailStoreBuilder;
import dev.mailkit.store.StoreSettings;
import dev.mailkit.store.internal.UidValidityGenerator;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link MailStore} that keeps everything in memory: the reference implementation of the mailbox model, for tests
 * and throwaway servers. It has exactly the semantics of mailkit's durable store (UIDs, MODSEQ, {@code \Recent},
 * change notification, quotas, name rules) but keeps nothing across restarts, and holds every message in the heap
 * (at most 2 GiB each). Copies between its mailboxes share the message bytes.
 *
 * <pre>{@code
 * MailStore store = MemoryMailStore.create();
 * try (Mailbox inbox = store.account(MailAddress.parse("ann@example.com")).open(MailboxName.INBOX)) {
 *     long uid = inbox.append(MessageSource.ofText("Subject: hi\n\nhello\n"));
 * }
 * }</pre>
 *
 * <p>Defaults: the system clock; no quota; each account has only INBOX at first; mailboxes named {@code Drafts},
 * {@code Sent}, {@code Trash}, {@code Junk} and {@code Archive} get those special uses when created; at most
 * {@value MailStoreBuilder#DEFAULT_MAX_KEYWORDS} keywords per mailbox and {@value MailStoreBuilder#DEFAULT_MAX_MAILBOXES} mailboxes
 * per account.
 *
 * <p>Thread-safe.
 */
public final class MemoryMailStore implements MailStore {
    private final StoreSettings settings;
    private final UidValidityGenerator uidValidity;
    private final ConcurrentHashMap<AccountId, MemoryAccount> accounts = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private MemoryMailStore(StoreSettings settings) {
        this.settings = settings;
        this.uidValidity = new UidValidityGenerator(settings.clock(), 0);
    }

    /** A store with the defaults. */
    public static MemoryMailStore create() {
        return builder().build();
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public MailAccount account(AccountId id) {
        Objects.requireNonNull(id, "id");
        if (closed) {
            throw new IllegalStateException("the in-memory mail store is closed");
        }
        return accounts.computeIfAbsent(id, k -> new MemoryAccount(k, settings, uidValidity));
    }

    /** The accounts that have been used so far, sorted. */
    public List<AccountId> accounts() {
        List<AccountId> ids = new ArrayList<>(accounts.keySet());
        ids.sort(null);
        return ids;
    }

    /** Drops every account and message. */
    @Override
    public void close() {
        closed = true;
        accounts.clear();
    }

    @Override
    public String toString() {
        return "MemoryMailStore{" + accounts.size() + " accounts}";
    }

    /** Configures a {@link MemoryMailStore}: the settings of every store (see {@link MailStoreBuilder}). */
    public static final class Builder extends MailStoreBuilder<Builder> {
        private Builder() {
        }

        /**
         * The store.
         *
         * @throws IllegalStateException if a limit is out of range
         */
        public MemoryMailStore build() {
            return new MemoryMailStore(settings());
        }
    }
}
