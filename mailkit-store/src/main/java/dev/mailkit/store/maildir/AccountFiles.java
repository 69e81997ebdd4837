package dev.mailkit.store.maildir;

import dev.mailkit.store.MailStoreException;
import dev.mailkit.store.MailboxName;
import dev.mailkit.core.ModifiedUtf7;
import dev.mailkit.store.SpecialUse;
import dev.mailkit.store.internal.MetadataTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.SortedMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The account-level files of a Maildir and how mailbox names map to directories:
 * <ul>
 *   <li>folders: {@code .} plus the name in modified UTF-7, levels separated by {@code .} (Dovecot's Maildir++
 *       layout, so {@code Archive.2026} is {@code .Archive.2026} and {@code Entwürfe} is {@code .Entw&APw-rfe});</li>
 *   <li>{@code subscriptions}: Dovecot's format (version 2: {@code V\t2}, an empty line, then one name per line with
 *       levels separated by a tab); version 1 (names with {@code .}) is read too;</li>
 *   <li>{@code mailkit-account}: the highest UIDVALIDITY handed out in the account and the special uses of its
 *       mailboxes, which Dovecot keeps in its configuration instead;</li>
 *   <li>{@code mailkit-metadata}: the account's and its mailboxes' METADATA entries (RFC 5464), one per line
 *       ({@code S}, entry, base64 value for the account's; {@code M}, base64 mailbox name, entry, base64 value for a
 *       mailbox's). Dovecot keeps them in a dictionary keyed by its own mailbox GUIDs, which a Maildir++ tree does
 *       not carry, so the two do not share this file.</li>
 * </ul>
 * Stateless.
 */
final class AccountFiles {
    static final String SUBSCRIPTIONS = "subscriptions";
    static final String ACCOUNT = "mailkit-account";
    static final String METADATA = "mailkit-metadata";
    private static final String METADATA_HEADER = "mailkit-metadata 1";
    private static final String ACCOUNT_HEADER = "mailkit-account 1";
    private static final Logger LOG = LoggerFactory.getLogger(AccountFiles.class);

    private AccountFiles() {
    }

    /** The directory name of a (non-INBOX) mailbox. */
    static String dirName(MailboxName name) {
        return "." + ModifiedUtf7.encode(name.toString());
    }

    /** The mailbox a directory entry of the account stands for, or null if it is not a valid folder name. */
    static MailboxName folderOf(String entry) {
        if (entry.length() < 2 || entry.charAt(0) != '.' || entry.equals("..")) {
            return null;
        }
        try {
            MailboxName n = MailboxName.of(ModifiedUtf7.decode(entry.substring(1)));
            return n.isInbox() ? null : n;
        } catch (IllegalArgumentException | MailStoreException e) {
            return null;
        }
    }

    /** What {@code mailkit-account} holds. */
    static final class AccountState {
        long watermark;
        final Map<MailboxName, Set<SpecialUse>> specialUse = new TreeMap<>();
    }

    static AccountState readAccount(Path root) {
        AccountState st = new AccountState();
        try {
            byte[] data = Fs.readSmall(root.resolve(ACCOUNT), 16 << 20);
            if (data == null) {
                return st;
            }
            String[] lines = new String(data, StandardCharsets.UTF_8).split("\n");
            if (lines.length == 0 || !lines[0].equals(ACCOUNT_HEADER)) {
                LOG.warn("{}: {} is not understood; special uses fall back to the defaults", root, ACCOUNT);
                return st;
            }
            for (int i = 1; i < lines.length; i++) {
                String[] t = lines[i].split("\t");
                if (t[0].equals("V") && t.length == 2) {
                    st.watermark = Math.max(st.watermark, Long.parseLong(t[1]));
                } else if (t[0].equals("U") && t.length >= 2) {
                    MailboxName n = MailboxName.of(t[1]);
                    Set<SpecialUse> uses = EnumSet.noneOf(SpecialUse.class);
                    if (t.length > 2 && !t[2].isEmpty()) {
                        for (String a : t[2].split(" ")) {
                            uses.add(SpecialUse.fromAttribute(a));
                        }
                    }
                    st.specialUse.put(n, uses);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("{}: cannot read {}: {}", root, ACCOUNT, e.toString());
        }
        return st;
    }

    static void writeAccount(Path root, AccountState st, boolean sync) throws IOException {
        StringBuilder sb = new StringBuilder(ACCOUNT_HEADER).append('\n');
        sb.append("V\t").append(st.watermark).append('\n');
        for (Map.Entry<MailboxName, Set<SpecialUse>> e : st.specialUse.entrySet()) {
            sb.append("U\t").append(e.getKey()).append('\t');
            boolean first = true;
            for (SpecialUse u : e.getValue()) {
                if (!first) {
                    sb.append(' ');
                }
                sb.append(u.attribute());
                first = false;
            }
            sb.append('\n');
        }
        Fs.replace(root.resolve(ACCOUNT), sb.toString().getBytes(StandardCharsets.UTF_8), sync,
                "mailkit-account.tmp");
    }

    static TreeSet<MailboxName> readSubscriptions(Path root) {
        TreeSet<MailboxName> out = new TreeSet<>();
        try {
            byte[] data = Fs.readSmall(root.resolve(SUBSCRIPTIONS), 16 << 20);
            if (data == null) {
                return out;
            }
            String[] lines = new String(data, StandardCharsets.UTF_8).split("\n");
            boolean v2 = lines.length > 0 && lines[0].equals("V\t2");
            for (int i = v2 ? 1 : 0; i < lines.length; i++) {
                String line = lines[i];
                if (line.isEmpty()) {
                    continue;
                }
                try {
                    String name = v2 ? line.replace('\t', MailboxName.DELIMITER) : line;
                    out.add(MailboxName.of(ModifiedUtf7.decode(name)));
                } catch (IllegalArgumentException | MailStoreException e) {
                    LOG.debug("{}: ignoring the subscription {}: {}", root, line, e.getMessage());
                }
            }
        } catch (IOException e) {
            LOG.warn("{}: cannot read {}: {}", root, SUBSCRIPTIONS, e.toString());
        }
        return out;
    }

    static void writeSubscriptions(Path root, Set<MailboxName> names, boolean sync) throws IOException {
        StringBuilder sb = new StringBuilder("V\t2\n\n");
        for (MailboxName n : names) {
            sb.append(ModifiedUtf7.encode(n.toString()).replace(MailboxName.DELIMITER, '\t')).append('\n');
        }
        Fs.replace(root.resolve(SUBSCRIPTIONS), sb.toString().getBytes(StandardCharsets.UTF_8), sync,
                "mailkit-subscriptions.tmp");
    }

    /** Loads {@code mailkit-metadata} into the table; a line it does not understand is skipped with a warning. */
    static void readMetadata(Path root, MetadataTable table) {
        try {
            byte[] data = Fs.readSmall(root.resolve(METADATA), 256 << 20);
            if (data == null) {
                return;
            }
            String[] lines = new String(data, StandardCharsets.UTF_8).split("\n");
            if (lines.length == 0 || !lines[0].equals(METADATA_HEADER)) {
                LOG.warn("{}: {} is not understood; the account's metadata is not loaded", root, METADATA);
                return;
            }
            Base64.Decoder b64 = Base64.getDecoder();
            for (int i = 1; i < lines.length; i++) {
                String[] t = lines[i].split("\t", -1);
                try {
                    if (t[0].equals("S") && t.length == 3) {
                        table.put(MetadataTable.SERVER, t[1], b64.decode(t[2]));
                    } else if (t[0].equals("M") && t.length == 4) {
                        String box = MailboxName.of(new String(b64.decode(t[1]), StandardCharsets.UTF_8)).toString();
                        table.put(box, t[2], b64.decode(t[3]));
                    } else if (!lines[i].isEmpty()) {
                        LOG.warn("{}: skipping line {} of {}: not understood", root, i + 1, METADATA);
                    }
                } catch (IllegalArgumentException | MailStoreException e) {
                    LOG.warn("{}: skipping line {} of {}: {}", root, i + 1, METADATA, e.getMessage());
                }
            }
        } catch (IOException e) {
            LOG.warn("{}: cannot read {}: {}", root, METADATA, e.toString());
        }
    }

    static void writeMetadata(Path root, MetadataTable table, boolean sync) throws IOException {
        StringBuilder sb = new StringBuilder(METADATA_HEADER).append('\n');
        Base64.Encoder b64 = Base64.getEncoder();
        for (Map.Entry<String, SortedMap<String, byte[]>> owner : table.all().entrySet()) {
            String prefix = owner.getKey().equals(MetadataTable.SERVER) ? "S\t"
                    : "M\t" + b64.encodeToString(owner.getKey().getBytes(StandardCharsets.UTF_8)) + "\t";
            for (Map.Entry<String, byte[]> e : owner.getValue().entrySet()) {
                sb.append(prefix).append(e.getKey()).append('\t').append(b64.encodeToString(e.getValue()))
                        .append('\n');
            }
        }
        Fs.replace(root.resolve(METADATA), sb.toString().getBytes(StandardCharsets.UTF_8), sync,
                "mailkit-metadata.tmp");
    }
}
