package dev.mailkit.store.maildir;

import dev.mailkit.store.AccountId;
import dev.mailkit.store.MailAccount;
import dev.mailkit.store.MailStore;
import dev.mailkit.store.MailStoreBuilder;
import dev.mailkit.store.MailStoreException;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.StoreSettings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The durable {@link MailStore}: every user's mail in a Maildir under {@code DATA/<domain>/<local part>/}, laid out
 * as Dovecot lays it out, so that Dovecot configured with {@code mail_location = maildir:DATA/%d/%n} serves the same
 * directories as they are, and mailkit reads Maildirs that Postfix, Dovecot or mutt wrote.
 *
 * <pre>{@code
 * try (MaildirMailStore store = MaildirMailStore.builder(Path.of("/var/mail/mailkit")).build()) {
 *     MailAccount ann = store.account(MailAddress.parse("ann@example.com"));  // DATA/example.com/ann/
 *     try (Mailbox inbox = ann.open(MailboxName.INBOX)) {
 *         long uid = inbox.append(message);   // durable when it returns
 *     }
 * }
 * }</pre>
 *
 * <h2>On disk</h2>
 * <ul>
 *   <li>INBOX is the account directory ({@code cur/ new/ tmp/}); every other mailbox is a Maildir++ folder beside it,
 *       {@code .} plus its name in modified UTF-7 ({@code .Sent}, {@code .Archive.2026}, {@code .Entw&APw-rfe}), with
 *       a {@code maildirfolder} file.</li>
 *   <li>Message files are named {@code <time>.M<usec>P<pid>Q<n>R<random>.<host>,S=<size>,W=<size>}, with
 *       {@code :2,<flags>} once in {@code cur/}; mailkit writes CRLF line ends (so {@code S} = {@code W}). Keywords
 *       are the letters {@code a}..{@code z} of {@code dovecot-keywords}.</li>
 *   <li>Files written by others may end lines in bare LF (Postfix, Dovecot): they are read as CRLF, with sizes to
 *       match, without converting the file.</li>
 *   <li>mailkit's own state: {@code mailkit-index} (UIDVALIDITY, UIDs, MODSEQs, internal dates: survives restarts,
 *       is rebuilt from the files with a new UIDVALIDITY if lost, or adopts Dovecot's {@code dovecot-uidlist} the
 *       first time), {@code mailkit-cache} (parsed MIME structures), {@code mailkit-account} (special uses),
 *       {@code subscriptions} (Dovecot's format).</li>
 * </ul>
 *
 * <h2>Durability</h2>
 * An append returns only after the file was written to {@code tmp/}, fsync'd, renamed into {@code new/} or
 * {@code cur/} and the directory fsync'd; concurrent deliveries fsync at once, and the file system's journal commits
 * them together (group commit). Nothing
 * half-written ever appears in a mailbox. Folder creation, deletion and renaming are atomic renames.
 *
 * <h2>Other programs</h2>
 * The first open of a mailbox after a start takes over everything another program did to it (new files, flag
 * renames, deletions); while running, files dropped into {@code new/} are picked up at the next SELECT or STATUS
 * (a cheap mtime check), and a message file renamed or deleted by another program is found again or expunged when
 * it is read. Two mailkit stores may not use one directory at once: {@link Builder#build()} locks {@code DATA}.
 * {@link MailAccount#changes()} reports the hierarchy, subscription and metadata changes made through this store;
 * folders another program creates, deletes or renames are not reported there (IMAP NOTIFY does not hear them; LIST
 * shows them).
 *
 * <h2>Safety</h2>
 * Account and mailbox names are checked ({@link AccountId}, {@link MailboxName}) before they become paths; symbolic
 * links are never followed below {@code DATA} (a link planted in a Maildir is refused, not read); files and
 * directories are created readable by the owner only.
 *
 * <p>Defaults as {@link dev.mailkit.store.memory.MemoryMailStore}'s (system clock, no quota, only INBOX, special uses
 * for Drafts/Sent/Trash/Junk/Archive, 256 keywords per mailbox, 10 000 mailboxes per account), plus fsync on, host
 * name from the system. Thread-safe; {@link #close()} records a clean stop in every open mailbox's index.
 */
public final class MaildirMailStore implements MailStore {
    static final String LOCK_FILE = ".mailkit.lock";

    private final Path root;
    private final MaildirContext ctx;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final ConcurrentHashMap<AccountId, MaildirAccount> accounts = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private MaildirMailStore(Path root, MaildirContext ctx, FileChannel lockChannel, FileLock lock) {
        this.root = root;
        this.ctx = ctx;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** A builder for a store in the directory {@code root} (created if missing). */
    public static Builder builder(Path root) {
        return new Builder(root);
    }

    /** The data directory. */
    public Path root() {
        return root;
    }

    /** The directory of an account's INBOX: {@code DATA/<domain>/<local part>}. */
    public Path accountDirectory(AccountId id) {
        return root.resolve(id.domain()).resolve(id.localPart());
    }

    @Override
    public MailAccount account(AccountId id) {
        Objects.requireNonNull(id, "id");
        if (closed) {
            throw new IllegalStateException("the Maildir store in " + root + " is closed");
        }
        return accounts.computeIfAbsent(id, this::openAccount);
    }

    private MaildirAccount openAccount(AccountId id) {
        Path domain = root.resolve(id.domain());
        Path dir = domain.resolve(id.localPart());
        if (!dir.normalize().startsWith(root) || !dir.getParent().equals(domain)) {
            throw new MailStoreException(MailStoreException.Reason.INVALID_NAME, "account " + id
                    + " would not be inside " + root);
        }
        try {
            Fs.ensureDirectory(domain, ctx.sync);
            return MaildirAccount.open(id, ctx, dir);
        } catch (IOException e) {
            throw new MailStoreException(MailStoreException.Reason.IO_ERROR, "cannot open the Maildir of " + id
                    + " in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Records a clean stop in every open mailbox and releases the directory. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (MaildirAccount a : accounts.values()) {
            a.close();
        }
        accounts.clear();
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException ignored) {
            // the process is letting go of it either way
        }
    }

    @Override
    public String toString() {
        return "MaildirMailStore{" + root + "}";
    }

    /**
     * Configures a {@link MaildirMailStore}: the settings of every store (see {@link MailStoreBuilder}) and those of
     * the Maildir store.
     */
    public static final class Builder extends MailStoreBuilder<Builder> {
        private final Path root;
        private boolean fsync = true;
        private String hostName;
        private Random random;

        private Builder(Path root) {
            this.root = Objects.requireNonNull(root, "root");
        }

        /**
         * Whether to fsync files and directories (default true). Only for tests and throwaway data: without it a
         * power loss or an operating-system crash can lose messages that were acknowledged (a JVM crash cannot).
         */
        public Builder fsync(boolean fsync) {
            this.fsync = fsync;
            return this;
        }

        /** The host name in message file names (default: the system's host name). */
        public Builder hostName(String hostName) {
            this.hostName = Objects.requireNonNull(hostName, "hostName");
            return this;
        }

        /**
         * The randomness for unique file names (default: a per-thread generator mixed with a seed from
         * {@link SecureRandom}, so that deliveries never wait for one another's random numbers).
         */
        public Builder random(Random random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /**
         * The store: creates {@code root} if missing and locks it for this store.
         *
         * @throws IllegalStateException if a limit is out of range, or another store (in this or another process)
         *                               uses the directory
         * @throws UncheckedIOException  if the directory cannot be created or locked
         */
        public MaildirMailStore build() {
            StoreSettings valid = settings();
            Path dir = root.toAbsolutePath().normalize();
            MaildirContext ctx = new MaildirContext(valid, fsync, hostName != null ? hostName : systemHostName(),
                    random);
            FileChannel ch = null;
            try {
                Files.createDirectories(dir);
                ch = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        java.nio.file.LinkOption.NOFOLLOW_LINKS);
                FileLock l;
                try {
                    l = ch.tryLock();
                } catch (OverlappingFileLockException e) {
                    l = null;
                }
                if (l == null) {
                    ch.close();
                    throw new IllegalStateException("the Maildir directory " + dir + " is in use by another mailkit "
                            + "store (in this or another process); close that one first");
                }
                return new MaildirMailStore(dir, ctx, ch, l);
            } catch (IOException e) {
                if (ch != null) {
                    try {
                        ch.close();
                    } catch (IOException ignored) {
                        // reported below
                    }
                }
                throw new UncheckedIOException("cannot use " + dir + " as a Maildir store: " + e.getMessage(), e);
            }
        }

        private static String systemHostName() {
            try {
                String h = Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.US_ASCII).trim();
                if (!h.isEmpty()) {
                    return h;
                }
            } catch (IOException | RuntimeException ignored) {
                // not Linux
            }
            return "localhost";
        }
    }
}
