package dev.mailkit.store.maildir;

import dev.mailkit.store.Flags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The letters {@code a}..{@code z} that stand for keywords in Maildir file names, as Dovecot keeps them in the
 * mailbox's {@code dovecot-keywords} file ({@code <index> <keyword>} per line, index 0 is {@code a}). Keywords
 * beyond the 26th have no letter: they live in mailkit's index only (Dovecot does the same with its own index).
 * Keywords match without regard to ASCII case. Thread-safe.
 */
final class KeywordLetters {
    static final String FILE = "dovecot-keywords";
    private static final Logger LOG = LoggerFactory.getLogger(KeywordLetters.class);

    private final Supplier<Path> dir;
    private final boolean sync;
    private final ReentrantLock lock = new ReentrantLock();
    private final String[] byLetter = new String[26];

    private KeywordLetters(Supplier<Path> dir, boolean sync) {
        this.dir = dir;
        this.sync = sync;
    }

    /** Reads the mailbox's {@code dovecot-keywords}, if there is one. */
    static KeywordLetters load(Supplier<Path> dir, boolean sync) {
        KeywordLetters k = new KeywordLetters(dir, sync);
        try {
            byte[] data = Fs.readSmall(dir.get().resolve(FILE), 1 << 20);
            if (data != null) {
                for (String line : new String(data, StandardCharsets.UTF_8).split("\n")) {
                    int sp = line.indexOf(' ');
                    if (sp <= 0) {
                        continue;
                    }
                    try {
                        int i = Integer.parseInt(line.substring(0, sp));
                        String kw = line.substring(sp + 1).trim();
                        if (i >= 0 && i < 26 && Flags.isValidKeyword(kw)) {
                            k.byLetter[i] = kw;
                        }
                    } catch (NumberFormatException ignored) {
                        // not a keyword line
                    }
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot read {} in {}: {}; keyword letters start empty", FILE, dir.get(), e.toString());
        }
        return k;
    }

    /** The keywords with letters, in letter order (to define them first when loading). */
    List<String> lettered() {
        lock.lock();
        try {
            List<String> out = new ArrayList<>();
            for (String s : byLetter) {
                if (s != null) {
                    out.add(s);
                }
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The letter mask of the keywords; keywords without a letter get a free one if {@code assign} (and
     * {@code dovecot-keywords} is rewritten), else are left out.
     */
    int mask(List<String> keywords, boolean assign) {
        if (keywords.isEmpty()) {
            return 0;
        }
        lock.lock();
        try {
            int mask = 0;
            boolean added = false;
            for (String kw : keywords) {
                int i = indexOf(kw);
                if (i < 0 && assign) {
                    for (int j = 0; j < 26; j++) {
                        if (byLetter[j] == null) {
                            byLetter[j] = kw;
                            i = j;
                            added = true;
                            break;
                        }
                    }
                }
                if (i >= 0) {
                    mask |= 1 << i;
                }
            }
            if (added) {
                write();
            }
            return mask;
        } finally {
            lock.unlock();
        }
    }

    /** Whether the keyword has a letter. */
    boolean hasLetter(String keyword) {
        lock.lock();
        try {
            return indexOf(keyword) >= 0;
        } finally {
            lock.unlock();
        }
    }

    /** The keywords of a letter mask (letters without a keyword are ignored). */
    List<String> names(int mask) {
        if (mask == 0) {
            return List.of();
        }
        lock.lock();
        try {
            List<String> out = new ArrayList<>(Integer.bitCount(mask));
            for (int i = 0; i < 26; i++) {
                if ((mask & (1 << i)) != 0 && byLetter[i] != null) {
                    out.add(byLetter[i]);
                }
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    private int indexOf(String kw) {
        for (int i = 0; i < 26; i++) {
            if (byLetter[i] != null && byLetter[i].equalsIgnoreCase(kw)) {
                return i;
            }
        }
        return -1;
    }

    private void write() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 26; i++) {
            if (byLetter[i] != null) {
                sb.append(i).append(' ').append(byLetter[i]).append('\n');
            }
        }
        try {
            Fs.replace(dir.get().resolve(FILE), sb.toString().getBytes(StandardCharsets.UTF_8), sync,
                    "mailkit-keywords.tmp");
        } catch (IOException e) {
            LOG.warn("cannot write {} in {}: {}; keywords stay in mailkit's index", FILE, dir.get(), e.toString());
        }
    }
}
