package dev.mailkit.scan;

import dev.mailkit.core.Envelope;
import dev.mailkit.core.MailAddress;
import dev.mailkit.core.MessageSource;
import dev.mailkit.core.sink.DeliveryReport;
import dev.mailkit.core.sink.MessageSink;
import dev.mailkit.scan.internal.Texts;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A {@link Quarantine} in a directory: one file per held message ({@code ID.held}: a few lines with the envelope and
 * the reason, an empty line, then the message), written to a temporary file, fsync'd, renamed into place and the
 * directory fsync'd before {@link #hold} returns. The directory is created owner-only. Ids are checked before they
 * become file names. Thread-safe.
 *
 * <pre>{@code
 * Quarantine q = FileQuarantine.open(Path.of("/var/lib/mailkit/quarantine"));
 * for (QuarantinedMessage m : q.list()) { ... q.release(m.id(), deliveryAgent) or q.delete(m.id()) }
 * }</pre>
 */
public final class FileQuarantine implements Quarantine {
    private static final String MAGIC = "mailkit-quarantine 1";
    private static final Pattern ID = Pattern.compile("[0-9a-z]{1,16}-[0-9a-f]{12}");
    private static final int MAX_META = 1024 * 1024;

    private final Path directory;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    private FileQuarantine(Path directory, Clock clock) {
        this.directory = directory;
        this.clock = clock;
    }

    /**
     * A quarantine in {@code directory} (created if missing).
     *
     * @throws UncheckedIOException if the directory cannot be created
     */
    public static FileQuarantine open(Path directory) {
        return open(directory, Clock.systemUTC());
    }

    /** A quarantine in {@code directory} whose times come from {@code clock}. */
    public static FileQuarantine open(Path directory, Clock clock) {
        Objects.requireNonNull(directory, "directory");
        try {
            if (!Files.isDirectory(directory)) {
                Files.createDirectories(directory);
                try {
                    Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
                } catch (UnsupportedOperationException ignored) {
                    // not a POSIX file system
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the quarantine directory " + directory + ": "
                    + e.getMessage(), e);
        }
        return new FileQuarantine(directory, Objects.requireNonNull(clock, "clock"));
    }

    /** The directory. */
    public Path directory() {
        return directory;
    }

    @Override
    public String hold(Envelope envelope, MessageSource message, String reason) throws IOException {
        Instant now = clock.instant();
        byte[] r = new byte[6];
        random.nextBytes(r);
        String id = Long.toString(now.toEpochMilli(), 36) + "-" + HexFormat.of().formatHex(r);
        StringBuilder meta = new StringBuilder(256).append(MAGIC).append("\r\n");
        meta.append("held-at ").append(now).append("\r\n");
        meta.append("reason ").append(Texts.printable(reason, 500)).append("\r\n");
        meta.append("reverse-path ").append(envelope.reversePath().map(MailAddress::toString).orElse(""))
                .append("\r\n");
        for (MailAddress rcpt : envelope.recipients()) {
            meta.append("recipient ").append(rcpt).append("\r\n");
        }
        meta.append("transaction ").append(Texts.printable(envelope.transactionId(), 100)).append("\r\n\r\n");
        Path tmp = directory.resolve(id + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            OutputStream out = Channels.newOutputStream(ch);
            out.write(meta.toString().getBytes(StandardCharsets.UTF_8));
            message.writeTo(out);
            out.flush();
            ch.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Path file = directory.resolve(id + ".held");
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file);
        }
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException ignored) {
            // some file systems cannot sync a directory
        }
        return id;
    }

    @Override
    public List<QuarantinedMessage> list() throws IOException {
        List<QuarantinedMessage> out = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.held")) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                String id = name.substring(0, name.length() - 5);
                if (!ID.matcher(id).matches()) {
                    continue;
                }
                try {
                    out.add(read(id, f).message);
                } catch (NoSuchFileException gone) {
                    // released or deleted meanwhile
                }
            }
        }
        out.sort(Comparator.comparing(QuarantinedMessage::heldAt).thenComparing(QuarantinedMessage::id));
        return out;
    }

    @Override
    public Optional<MessageSource> content(String id) throws IOException {
        Path f = file(id);
        if (!Files.exists(f)) {
            return Optional.empty();
        }
        Held h;
        try {
            h = read(id, f);
        } catch (NoSuchFileException gone) {
            return Optional.empty();
        }
        FileChannel ch = FileChannel.open(f, StandardOpenOption.READ);
        try {
            long length = ch.size() - h.offset;
            return Optional.of(MessageSource.ofFileRegion(ch, h.offset, length, length));
        } catch (RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    @Override
    public DeliveryReport release(String id, MessageSink sink) throws IOException {
        Path f = file(id);
        Held h;
        try {
            h = read(id, f);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no message " + id + " in the quarantine " + directory);
        }
        DeliveryReport report;
        try (MessageSource m = content(id).orElseThrow(() -> new IllegalArgumentException("no message " + id
                + " in the quarantine " + directory))) {
            report = sink.deliver(h.message.envelope(), m);
        }
        if (report.isAllDelivered()) {
            Files.deleteIfExists(f);
        }
        return report;
    }

    @Override
    public boolean delete(String id) throws IOException {
        return Files.deleteIfExists(file(id));
    }

    private Path file(String id) {
        Objects.requireNonNull(id, "id");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("'" + Texts.printable(id, 40) + "' is not a quarantine id");
        }
        return directory.resolve(id + ".held");
    }

    private record Held(QuarantinedMessage message, long offset) {
    }

    private static Held read(String id, Path f) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(f), 8192)) {
            long size = Files.size(f);
            List<String> lines = new ArrayList<>();
            long offset = 0;
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) != -1) {
                offset++;
                if (offset > MAX_META) {
                    throw new IOException(f + " is not a quarantined message (no end of its envelope lines)");
                }
                if (b == '\n') {
                    String l = line.toString(StandardCharsets.UTF_8);
                    l = l.endsWith("\r") ? l.substring(0, l.length() - 1) : l;
                    line.reset();
                    if (l.isEmpty()) {
                        break;
                    }
                    lines.add(l);
                } else {
                    line.write(b);
                }
            }
            if (lines.isEmpty() || !lines.get(0).equals(MAGIC)) {
                throw new IOException(f + " is not a quarantined message");
            }
            Envelope.Builder e = Envelope.builder();
            Instant at = Instant.EPOCH;
            String reason = "";
            for (String l : lines.subList(1, lines.size())) {
                int sp = l.indexOf(' ');
                String key = sp < 0 ? l : l.substring(0, sp);
                String value = sp < 0 ? "" : l.substring(sp + 1);
                switch (key) {
                    case "held-at" -> at = Instant.parse(value);
                    case "reason" -> reason = value;
                    case "reverse-path" -> {
                        if (!value.isEmpty()) {
                            e.reversePath(MailAddress.parse(value));
                        }
                    }
                    case "recipient" -> e.recipient(MailAddress.parse(value));
                    case "transaction" -> e.transactionId(value);
                    default -> {
                        // a later version's line
                    }
                }
            }
            return new Held(new QuarantinedMessage(id, e.build(), reason, at, size - offset), offset);
        }
    }

    @Override
    public String toString() {
        return "FileQuarantine[" + directory + "]";
    }
}
