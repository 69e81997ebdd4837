package dev.mailkit.store.internal;

import dev.mailkit.core.MessageSource;
import dev.mailkit.store.Flags;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.MailboxStatus;
import dev.mailkit.store.MailboxView;
import dev.mailkit.store.MessageInfo;
import dev.mailkit.store.SpecialUse;
import dev.mailkit.store.ViewMode;
import dev.mailkit.store.mime.MessageEnvelope;
import dev.mailkit.store.mime.MessageStructure;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** A {@link Mailbox} handle on a {@link MailboxEngine}. Thread-safe. */
public final class MailboxHandle implements Mailbox {
    private final MailboxEngine engine;
    private volatile boolean closed;

    /** A handle on the engine. */
    public MailboxHandle(MailboxEngine engine) {
        this.engine = engine;
    }

    /** The engine (for copies between mailboxes of mailkit's stores). */
    public MailboxEngine engine() {
        check();
        return engine;
    }

    private void check() {
        if (closed) {
            throw new IllegalStateException("mailbox handle on " + engine.name() + " is closed");
        }
    }

    @Override
    public MailboxName name() {
        return engine.name();
    }

    @Override
    public long uidValidity() {
        return engine.uidValidity();
    }

    @Override
    public MailboxStatus status() {
        check();
        return engine.status();
    }

    @Override
    public Set<SpecialUse> specialUse() {
        return engine.specialUse();
    }

    @Override
    public List<String> keywords() {
        check();
        return engine.keywords();
    }

    @Override
    public boolean canCreateKeywords() {
        check();
        return engine.canCreateKeywords();
    }

    @Override
    public long append(MessageSource message, Flags flags, Instant internalDate) {
        check();
        return engine.append(message, flags, internalDate);
    }

    @Override
    public Optional<MessageInfo> message(long uid) {
        check();
        return engine.message(uid);
    }

    @Override
    public boolean keepsSaveDates() {
        return engine.storage.keepsSaveDates();
    }

    @Override
    public Optional<java.time.Instant> saveDate(long uid) {
        check();
        Object ref = engine.refOf(uid);
        if (ref == null) {
            return Optional.empty();
        }
        long seconds = engine.storage.saveDate(uid, ref);
        return seconds < 0 ? Optional.empty() : Optional.of(java.time.Instant.ofEpochSecond(seconds));
    }

    @Override
    public Optional<MessageSource> content(long uid) {
        check();
        return engine.reader.content(uid);
    }

    @Override
    public Optional<MessageStructure> structure(long uid) {
        check();
        return engine.reader.structure(uid);
    }

    @Override
    public Optional<MessageEnvelope> envelope(long uid) {
        check();
        return engine.reader.envelope(uid);
    }

    @Override
    public MailboxView openView(ViewMode mode) {
        check();
        return engine.openView(mode);
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public String toString() {
        return "Mailbox{" + engine.name() + ", uidvalidity=" + engine.uidValidity() + "}";
    }
}
