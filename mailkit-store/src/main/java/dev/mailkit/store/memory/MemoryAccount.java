package dev.mailkit.store.memory;

import dev.mailkit.store.AccountId;
import dev.mailkit.store.MailAccount;
import dev.mailkit.store.MailStoreException;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxInfo;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.Quota;
import dev.mailkit.store.SpecialUse;
import dev.mailkit.store.internal.MailboxHandle;
import dev.mailkit.store.internal.QuotaCounter;
import dev.mailkit.store.internal.StoreSettings;
import dev.mailkit.store.internal.UidValidityGenerator;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;

/** One user's mailboxes in memory. Thread-safe: hierarchy changes take the account's lock. */
final class MemoryAccount implements MailAccount {
    private final AccountId id;
    private final StoreSettings settings;
    private final UidValidityGenerator uidValidity;
    private final QuotaCounter quota;
    private final ReentrantLock lock = new ReentrantLock();
    private final TreeMap<MailboxName, MemoryMailbox> boxes = new TreeMap<>();
    private final TreeSet<MailboxName> subscriptions = new TreeSet<>();

    MemoryAccount(AccountId id, StoreSettings settings, UidValidityGenerator uidValidity) {
        this.id = id;
        this.settings = settings;
        this.uidValidity = uidValidity;
        this.quota = new QuotaCounter(id, settings.quota());
        boxes.put(MailboxName.INBOX, newMailbox(MailboxName.INBOX, Set.of()));
        for (MailboxName name : settings.autoCreate()) {
            if (!boxes.containsKey(name)) {
                boxes.put(name, newMailbox(name, Set.of()));
            }
        }
    }

    private MemoryMailbox newMailbox(MailboxName name, Set<SpecialUse> uses) {
        Set<SpecialUse> u = uses.isEmpty() ? settings.specialUseFor(name) : uses;
        return new MemoryMailbox(name, u, uidValidity.next(), settings.maxKeywordsPerMailbox(), quota,
                settings.clock());
    }

    @Override
    public AccountId id() {
        return id;
    }

    @Override
    public List<MailboxInfo> list() {
        lock.lock();
        try {
            Set<MailboxName> parents = new HashSet<>();
            TreeSet<MailboxName> all = new TreeSet<>(boxes.keySet());
            for (MailboxName n : boxes.keySet()) {
                for (MailboxName a : n.ancestors()) {
                    parents.add(a);
                    all.add(a);
                }
            }
            List<MailboxInfo> out = new ArrayList<>(all.size());
            for (MailboxName n : all) {
                MemoryMailbox box = boxes.get(n);
                out.add(new MailboxInfo(n, box != null, parents.contains(n),
                        box != null ? box.specialUse() : Set.of()));
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean exists(MailboxName name) {
        Objects.requireNonNull(name, "name");
        lock.lock();
        try {
            return boxes.containsKey(name);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Mailbox open(MailboxName name) {
        Objects.requireNonNull(name, "name");
        lock.lock();
        try {
            MemoryMailbox box = boxes.get(name);
            if (box == null) {
                throw notFound(name);
            }
            return new MailboxHandle(box);
        } finally {
            lock.unlock();
        }
    }

    private MailStoreException notFound(MailboxName name) {
        boolean placeholder = boxes.keySet().stream().anyMatch(n -> n.isInferiorOf(name));
        return new MailStoreException(MailStoreException.Reason.NOT_FOUND, "mailbox " + name + " does not exist"
                + (placeholder ? " (it is only the parent of other mailboxes; create it to select it)" : ""));
    }

    @Override
    public void create(MailboxName name, Set<SpecialUse> specialUse) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(specialUse, "specialUse");
        lock.lock();
        try {
            if (boxes.containsKey(name)) {
                throw new MailStoreException(MailStoreException.Reason.ALREADY_EXISTS,
                        "mailbox " + name + " already exists");
            }
            if (boxes.size() >= settings.maxMailboxesPerAccount()) {
                throw new MailStoreException(MailStoreException.Reason.LIMIT, "account " + id + " already has "
                        + boxes.size() + " mailboxes, the most allowed; delete some first");
            }
            boxes.put(name, newMailbox(name, specialUse));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void delete(MailboxName name) {
        Objects.requireNonNull(name, "name");
        lock.lock();
        try {
            if (name.isInbox()) {
                throw new MailStoreException(MailStoreException.Reason.NOT_ALLOWED, "INBOX cannot be deleted");
            }
            MemoryMailbox box = boxes.remove(name);
            if (box == null) {
                throw notFound(name);
            }
            box.markDeleted();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void rename(MailboxName from, MailboxName to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        lock.lock();
        try {
            if (from.equals(to) || boxes.containsKey(to)) {
                throw new MailStoreException(MailStoreException.Reason.ALREADY_EXISTS,
                        "cannot rename " + from + " to " + to + ": " + to + " already exists");
            }
            if (from.isInbox()) {
                renameInbox(to);
                return;
            }
            if (to.isInferiorOf(from)) {
                throw new MailStoreException(MailStoreException.Reason.NOT_ALLOWED,
                        "cannot rename " + from + " to " + to + ", which is inside it");
            }
            List<MailboxName> moving = new ArrayList<>();
            for (MailboxName n : boxes.keySet()) {
                if (n.equals(from) || n.isInferiorOf(from)) {
                    moving.add(n);
                }
            }
            if (moving.isEmpty()) {
                throw notFound(from);
            }
            Map<MailboxName, MailboxName> target = new TreeMap<>();
            for (MailboxName n : moving) {
                MailboxName m = n.moved(from, to);
                if (boxes.containsKey(m) || m.isInbox()) {
                    throw new MailStoreException(MailStoreException.Reason.ALREADY_EXISTS,
                            "cannot rename " + from + " to " + to + ": " + m + " already exists");
                }
                target.put(n, m);
            }
            Map<MailboxName, MemoryMailbox> moved = new TreeMap<>();
            for (Map.Entry<MailboxName, MailboxName> e : target.entrySet()) {
                MemoryMailbox box = boxes.remove(e.getKey());
                box.setName(e.getValue());
                moved.put(e.getValue(), box);
            }
            boxes.putAll(moved);
            List<MailboxName> subs = new ArrayList<>();
            for (MailboxName s : subscriptions) {
                if (s.equals(from) || s.isInferiorOf(from)) {
                    subs.add(s);
                }
            }
            for (MailboxName s : subs) {
                subscriptions.remove(s);
                subscriptions.add(s.moved(from, to));
            }
        } finally {
            lock.unlock();
        }
    }

    private void renameInbox(MailboxName to) {
        if (boxes.size() >= settings.maxMailboxesPerAccount()) {
            throw new MailStoreException(MailStoreException.Reason.LIMIT, "account " + id + " already has "
                    + boxes.size() + " mailboxes, the most allowed; delete some first");
        }
        MemoryMailbox target = newMailbox(to, Set.of());
        boxes.put(to, target);
        boxes.get(MailboxName.INBOX).moveAllTo(target);
    }

    @Override
    public void subscribe(MailboxName name) {
        Objects.requireNonNull(name, "name");
        lock.lock();
        try {
            if (!subscriptions.contains(name) && subscriptions.size() >= settings.maxMailboxesPerAccount()) {
                throw new MailStoreException(MailStoreException.Reason.LIMIT, "account " + id + " already has "
                        + subscriptions.size() + " subscriptions, the most allowed; unsubscribe some first");
            }
            subscriptions.add(name);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void unsubscribe(MailboxName name) {
        Objects.requireNonNull(name, "name");
        lock.lock();
        try {
            subscriptions.remove(name);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<MailboxName> subscriptions() {
        lock.lock();
        try {
            return List.copyOf(subscriptions);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Quota quota() {
        return quota.quota();
    }

    @Override
    public String toString() {
        return "MailAccount{" + id + "}";
    }
}
