package dev.mailkit.sieve.internal.exec;

import dev.mailkit.sieve.VacationMemory;
import dev.mailkit.store.AccountId;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * The vacation memory in one small text file per user ({@code KEY EPOCH-SECONDS} per line), rewritten durably
 * (temporary file, fsync, rename) on every change; expired records are dropped then, and at most
 * {@value #MAX_ENTRIES} kept (the oldest go first), so a storm of senders cannot grow it without bound. One lock per
 * file orders the check-and-record of concurrent deliveries. Thread-safe.
 */
public final class FileVacationMemory implements VacationMemory {
    static final int MAX_ENTRIES = 10_000;

    private final Function<AccountId, Path> file;
    private final ConcurrentHashMap<Path, ReentrantLock> locks = new ConcurrentHashMap<>();

    public FileVacationMemory(Function<AccountId, Path> file) {
        this.file = file;
    }

    @Override
    public boolean tryRecord(AccountId account, String key, Instant now, Instant until) throws IOException {
        Path f = file.apply(account);
        ReentrantLock lock = locks.computeIfAbsent(f, k -> new ReentrantLock());
        lock.lock();
        try {
            Map<String, Long> entries = read(f, now.getEpochSecond());
            Long expiry = entries.get(key);
            if (expiry != null && expiry > now.getEpochSecond()) {
                return false;
            }
            entries.remove(key);
            entries.put(key, until.getEpochSecond());
            while (entries.size() > MAX_ENTRIES) {
                entries.remove(entries.keySet().iterator().next());
            }
            write(f, entries);
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void forget(AccountId account, String key) throws IOException {
        Path f = file.apply(account);
        ReentrantLock lock = locks.computeIfAbsent(f, k -> new ReentrantLock());
        lock.lock();
        try {
            Map<String, Long> entries = read(f, Long.MIN_VALUE);
            if (entries.remove(key) != null) {
                write(f, entries);
            }
        } finally {
            lock.unlock();
        }
    }

    private static Map<String, Long> read(Path f, long now) throws IOException {
        Map<String, Long> out = new LinkedHashMap<>();
        String text;
        try {
            text = Files.readString(f, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return out;
        }
        for (String line : text.split("\n")) {
            int sp = line.indexOf(' ');
            if (sp <= 0) {
                continue;
            }
            try {
                long t = Long.parseLong(line.substring(sp + 1).trim());
                if (t > now) {
                    out.put(line.substring(0, sp), t);
                }
            } catch (NumberFormatException e) {
                // a damaged line is dropped
            }
        }
        return out;
    }

    private static void write(Path f, Map<String, Long> entries) throws IOException {
        StringBuilder b = new StringBuilder(entries.size() * 44);
        entries.forEach((k, v) -> b.append(k).append(' ').append(v).append('\n'));
        Files.createDirectories(f.getParent());
        Path tmp = f.resolveSibling(f.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.wrap(b.toString().getBytes(StandardCharsets.US_ASCII)));
            ch.force(true);
        }
        try {
            Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
