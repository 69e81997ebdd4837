package dev.mailkit.store.internal;

import dev.mailkit.store.MailboxName;
import dev.mailkit.store.MetadataLimits;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An account's metadata held in memory: for the account itself (key {@link #SERVER}) and for each mailbox, a sorted
 * map of entry names to values. The memory store keeps it only here; the Maildir store writes it to a file after
 * each change. Not thread-safe: the account's lock guards it.
 */
public final class MetadataTable {
    /** The key of the account's own ("server") entries. */
    public static final String SERVER = "";

    private final Map<String, TreeMap<String, byte[]>> owners = new HashMap<>();
    private long entries;
    private long bytes;

    private static String key(MailboxName mailbox) {
        return mailbox == null ? SERVER : mailbox.toString();
    }

    /** The entries of the account (null) or of a mailbox, as a sorted copy (values shared, not to be changed). */
    public SortedMap<String, byte[]> entries(MailboxName mailbox) {
        TreeMap<String, byte[]> m = owners.get(key(mailbox));
        return m == null ? new TreeMap<>() : new TreeMap<>(m);
    }

    /** Checks the change against the limits, then makes it. @throws dev.mailkit.store.MetadataException */
    public void set(MailboxName mailbox, Map<String, byte[]> changes, MetadataLimits limits) {
        TreeMap<String, byte[]> m = owners.get(key(mailbox));
        Map<String, byte[]> existing = new HashMap<>();
        if (m != null) {
            for (String e : changes.keySet()) {
                byte[] v = m.get(e);
                if (v != null) {
                    existing.put(e, v);
                }
            }
        }
        MetadataBudget.check(limits, entries, bytes, changes, existing);
        for (Map.Entry<String, byte[]> c : changes.entrySet()) {
            put(key(mailbox), c.getKey(), c.getValue());
        }
    }

    /** Sets or (null value) removes one entry, without checks: for loading. */
    public void put(String owner, String entry, byte[] value) {
        TreeMap<String, byte[]> m = owners.get(owner);
        byte[] old = m == null ? null : m.get(entry);
        if (old != null) {
            entries--;
            bytes -= MetadataBudget.cost(entry, old);
            m.remove(entry);
            if (m.isEmpty()) {
                owners.remove(owner);
            }
        }
        if (value != null) {
            owners.computeIfAbsent(owner, k -> new TreeMap<>()).put(entry, value.clone());
            entries++;
            bytes += MetadataBudget.cost(entry, value);
        }
    }

    /** Removes a mailbox's entries. @return whether it had any */
    public boolean removeMailbox(MailboxName mailbox) {
        TreeMap<String, byte[]> m = owners.remove(key(mailbox));
        if (m == null) {
            return false;
        }
        for (Map.Entry<String, byte[]> e : m.entrySet()) {
            entries--;
            bytes -= MetadataBudget.cost(e.getKey(), e.getValue());
        }
        return true;
    }

    /** Moves the entries of renamed mailboxes to their new names. @return whether any moved */
    public boolean rename(SortedMap<MailboxName, MailboxName> moves) {
        List<Map.Entry<String, TreeMap<String, byte[]>>> moving = new ArrayList<>();
        for (Map.Entry<MailboxName, MailboxName> mv : moves.entrySet()) {
            TreeMap<String, byte[]> m = owners.remove(key(mv.getKey()));
            if (m != null) {
                moving.add(Map.entry(key(mv.getValue()), m));
            }
        }
        for (Map.Entry<String, TreeMap<String, byte[]>> e : moving) {
            owners.put(e.getKey(), e.getValue());
        }
        return !moving.isEmpty();
    }

    /** Every owner ({@link #SERVER} or a mailbox name) with its entries, for writing out. */
    public Map<String, SortedMap<String, byte[]>> all() {
        Map<String, SortedMap<String, byte[]>> out = new TreeMap<>();
        for (Map.Entry<String, TreeMap<String, byte[]>> e : owners.entrySet()) {
            out.put(e.getKey(), Collections.unmodifiableSortedMap(e.getValue()));
        }
        return out;
    }
}
