package dev.mailkit.relay.internal;

import dev.mailkit.relay.MtaStsPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Optional;

/**
 * The relay's MTA-STS policies on disk, one file per domain in {@code DIRECTORY/mta-sts/}: {@code id:} and
 * {@code fetched:} lines, then the policy in RFC 8461's format. Written to a temporary file, forced and renamed, so a
 * crash leaves the old policy or the new one, never half of one; a file that does not parse is ignored (the policy is
 * fetched again). A queue kept elsewhere than on disk (no queue directory) keeps policies in memory only: {@code dir}
 * is null and nothing is read or written. Thread-safe (each write goes to its own temporary file).
 */
final class StsCache {
    private static final Logger LOG = LoggerFactory.getLogger("dev.mailkit.relay");

    private final Path dir;

    StsCache(Path dir) {
        this.dir = dir;
    }

    Optional<StsPolicies.Cached> read(String domain) {
        if (dir == null) {
            return Optional.empty();
        }
        Path f = file(domain);
        try {
            String text = Files.readString(f, StandardCharsets.UTF_8);
            String[] parts = text.split("\n", 3);
            if (parts.length < 3 || !parts[0].startsWith("id: ") || !parts[1].startsWith("fetched: ")) {
                throw new IOException("not a policy cache file");
            }
            return Optional.of(new StsPolicies.Cached(MtaStsPolicy.parse(parts[2]), parts[0].substring(4),
                    Instant.ofEpochSecond(Long.parseLong(parts[1].substring(9)))));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            LOG.warn("MTA-STS: ignoring the cached policy {}: {}", f, Text.describe(e));
            return Optional.empty();
        }
    }

    void write(String domain, StsPolicies.Cached c) {
        if (dir == null) {
            return;
        }
        Path f = file(domain);
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, domain, ".tmp");
            byte[] bytes = ("id: " + c.id + "\nfetched: " + c.fetched.getEpochSecond() + "\n" + c.policy.text())
                    .getBytes(StandardCharsets.UTF_8);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.write(java.nio.ByteBuffer.wrap(bytes));
                ch.force(true);
            }
            Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            LOG.warn("MTA-STS: cannot keep the policy of {} in {}: {} (it is kept in memory)", domain, f,
                    Text.describe(e));
        }
    }

    private Path file(String domain) {
        // a domain name from DNS: letters, digits, hyphens and dots only (anything else cannot have a policy)
        if (!domain.matches("[a-z0-9.-]{1,253}") || domain.startsWith(".") || domain.contains("..")) {
            throw new IllegalArgumentException("not a domain name: " + domain);
        }
        return dir.resolve(domain + ".policy");
    }
}
