package dev.mailkit.store.memory;

import dev.mailkit.store.AccountId;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.SpecialUse;
import dev.mailkit.store.internal.AccountEngine;
import dev.mailkit.store.internal.MailboxEngine;
import dev.mailkit.store.StoreSettings;
import dev.mailkit.store.internal.UidValidityGenerator;

import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One user's mailboxes in memory: the {@link AccountEngine}'s rules over a map of mailbox engines, which is all
 * there is of the account. Thread-safe: the map is guarded by the account's lock.
 */
final class MemoryAccount extends AccountEngine {
    private final UidValidityGenerator uidValidity;
    private final MemoryMessages storage;
    private final TreeMap<MailboxName, MailboxEngine> boxes = new TreeMap<>(); // guarded by lock()

    MemoryAccount(AccountId id, StoreSettings settings, UidValidityGenerator uidValidity) {
        super(id, settings, new TreeSet<>());
        this.storage = new MemoryMessages(settings.clock());
        this.uidValidity = uidValidity;
        boxes.put(MailboxName.INBOX, newMailbox(MailboxName.INBOX, Set.of()));
        createAutoMailboxes();
    }

    private MailboxEngine newMailbox(MailboxName name, Set<SpecialUse> uses) {
        StoreSettings settings = settings();
        Set<SpecialUse> u = uses.isEmpty() ? settings.specialUseFor(name) : uses;
        return new MailboxEngine(name, u, uidValidity.next(), settings.maxKeywordsPerMailbox(), quotaCounter(),
                settings.clock(), storage);
    }

    @Override
    protected Set<MailboxName> mailboxNames() {
        return boxes.keySet();
    }

    @Override
    protected boolean hasMailbox(MailboxName name) {
        lock().lock();
        try {
            return boxes.containsKey(name);
        } finally {
            lock().unlock();
        }
    }

    @Override
    protected MailboxEngine mailbox(MailboxName name) {
        MailboxEngine box = boxes.get(name);
        if (box == null) {
            throw notFound(name);
        }
        return box;
    }

    @Override
    protected Set<SpecialUse> listedSpecialUse(MailboxName name) {
        return boxes.get(name).specialUse();
    }

    @Override
    protected MailboxEngine createMailbox(MailboxName name, Set<SpecialUse> specialUse) {
        MailboxEngine box = newMailbox(name, specialUse);
        boxes.put(name, box);
        return box;
    }

    @Override
    protected void deleteMailbox(MailboxName name) {
        boxes.remove(name).markDeleted();
    }

    @Override
    protected void renameMailboxes(MailboxName from, MailboxName to, SortedMap<MailboxName, MailboxName> moves) {
        Map<MailboxName, MailboxEngine> moved = new TreeMap<>();
        for (Map.Entry<MailboxName, MailboxName> e : moves.entrySet()) {
            MailboxEngine box = boxes.remove(e.getKey());
            box.setName(e.getValue());
            moved.put(e.getValue(), box);
        }
        boxes.putAll(moved);
    }

    @Override
    public String toString() {
        return "MailAccount{" + id() + "}";
    }
}
