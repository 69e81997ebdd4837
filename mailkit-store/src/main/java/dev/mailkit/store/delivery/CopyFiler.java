package dev.mailkit.store.delivery;

import java.util.Optional;
import dev.mailkit.store.SpecialUse;
import dev.mailkit.core.sink.MailboxRule;
import dev.mailkit.core.Envelope;
import dev.mailkit.core.MailAddress;
import dev.mailkit.core.MessageSource;
import dev.mailkit.core.SmtpReply;
import dev.mailkit.store.AccountId;
import dev.mailkit.store.Flags;
import dev.mailkit.store.MailAccount;
import dev.mailkit.store.MailStore;
import dev.mailkit.store.MailStoreException;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Files the copies of one message, one per mailbox: first checks every account's quota and refuses a forwarding
 * loop (a {@code Delivered-To:} the message already carries), so that a recipient fails before any of its copies is
 * written; then appends each copy still wanted, with its {@code Return-Path:} and {@code Delivered-To:} prepended
 * (no copy of the content). Immutable and thread-safe.
 */
final class CopyFiler {
    /** The agent's logger: operators know its errors (failed deliveries) by that name. */
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryAgent.class);

    /** One mailbox to file a copy into, and the recipients that lead to it. */
    static final class Copy {
        final Destination destination;
        final List<MailAddress> recipients = new ArrayList<>(1);

        Copy(Destination destination) {
            this.destination = destination;
        }
    }

    private final MailStore store;
    private final boolean returnPath;
    private final boolean deliveredTo;
    /** Chooses another mailbox than INBOX for a user's copy (mailkit-scan's Junk filing); null for none. */
    private final MailboxRule mailboxRule;
    /** Decides what happens to each copy (Sieve); null for none (every copy into its mailbox). */
    private final DeliveryRule deliveryRule;

    /**
     * @param returnPath  whether to prepend {@code Return-Path:}
     * @param deliveredTo whether to prepend {@code Delivered-To:} and refuse loops
     */
    CopyFiler(MailStore store, boolean returnPath, boolean deliveredTo, MailboxRule mailboxRule,
              DeliveryRule deliveryRule) {
        this.mailboxRule = mailboxRule;
        this.deliveryRule = deliveryRule;
        this.store = store;
        this.returnPath = returnPath;
        this.deliveredTo = deliveredTo;
    }

    /**
     * Files the copies; the recipients that fail get their reply in {@code failed} (a recipient already there gets
     * no copy, and keeps its first reply).
     */
    void fileAll(Envelope envelope, MessageSource message, Collection<Copy> copies,
                 Map<MailAddress, SmtpReply> failed) {
        Set<String> loops = deliveredTo && !copies.isEmpty() ? deliveredToValues(message) : Set.of();
        byte[] returnPathLine = returnPath ? HeaderFields.line("Return-Path", envelope.reversePathString())
                : new byte[0];
        // first check every account, so that a recipient fails before any of its copies is written
        long size = message.size() + returnPathLine.length + 200;
        Map<AccountId, Boolean> room = new HashMap<>();
        for (Copy c : copies) {
            AccountId a = c.destination.account();
            boolean fits = room.computeIfAbsent(a, id -> fits(id, size));
            if (!fits) {
                for (MailAddress rcpt : c.recipients) {
                    failed.putIfAbsent(rcpt, SmtpReply.of(452, "4.2.2", "<" + rcpt + ">: mailbox full, try again "
                            + "later"));
                }
            }
            if (loops.contains(c.destination.deliveredTo().lookupKey())) {
                for (MailAddress rcpt : c.recipients) {
                    failed.putIfAbsent(rcpt, SmtpReply.of(554, "5.4.6", "<" + rcpt + ">: mail forwarding loop (the "
                            + "message was already delivered to " + c.destination.deliveredTo() + ")"));
                }
            }
        }
        for (Copy c : copies) {
            boolean wanted = false;
            for (MailAddress rcpt : c.recipients) {
                wanted |= !failed.containsKey(rcpt);
            }
            if (!wanted) {
                continue;
            }
            SmtpReply error = file(c, envelope, message, returnPathLine);
            if (error != null) {
                for (MailAddress rcpt : c.recipients) {
                    failed.putIfAbsent(rcpt, error);
                }
            }
        }
    }

    private boolean fits(AccountId account, long size) {
        try {
            return store.account(account).quota().allows(size);
        } catch (MailStoreException e) {
            return true; // the append reports the real problem
        }
    }

    private static Set<String> deliveredToValues(MessageSource message) {
        try {
            List<String> values = HeaderFields.values(message, "Delivered-To");
            if (values.isEmpty()) {
                return Set.of();
            }
            Set<String> out = new HashSet<>();
            for (String v : values) {
                String s = v.trim();
                if (s.startsWith("<") && s.endsWith(">")) {
                    s = s.substring(1, s.length() - 1);
                }
                out.add(s.toLowerCase(Locale.ROOT));
            }
            return out;
        } catch (IOException e) {
            return Set.of();
        }
    }

    /** Files one copy; returns null, or the reply for its recipients if it could not be stored. */
    private SmtpReply file(Copy c, Envelope envelope, MessageSource message, byte[] returnPathLine) {
        Destination d = c.destination;
        byte[] prefix = returnPathLine;
        if (deliveredTo) {
            byte[] dt = HeaderFields.line("Delivered-To", d.deliveredTo().toString());
            prefix = new byte[returnPathLine.length + dt.length];
            System.arraycopy(returnPathLine, 0, prefix, 0, returnPathLine.length);
            System.arraycopy(dt, 0, prefix, returnPathLine.length, dt.length);
        }
        DeliveryDecision decision = null;
        boolean stored = false;
        try (MessageSource copy = prefix.length == 0 ? message.retain() : message.withPrefix(prefix)) {
            MailAccount account = store.account(d.account());
            MailboxName box = d.mailbox();
            if (!box.isInbox() && !account.exists(box)) {
                box = MailboxName.INBOX; // the plus folder was deleted meanwhile
            }
            if (box.isInbox() && mailboxRule != null) {
                box = ruleMailbox(account, d, message);
            }
            if (deliveryRule == null) {
                try (Mailbox mailbox = account.open(box)) {
                    mailbox.append(copy);
                }
                stored = true;
                return null;
            }
            decision = deliveryRule.decide(new DeliveryRequest(envelope, c.recipients.get(0), d.deliveredTo(),
                    account, box, message));
            if (decision.refusal().isPresent()) {
                return decision.refusal().get();
            }
            for (Map.Entry<MailboxName, Flags> f : targets(account, box, decision).entrySet()) {
                try (Mailbox mailbox = account.open(f.getKey())) {
                    mailbox.append(copy, f.getValue(), null);
                }
            }
            stored = true;
            return null;
        } catch (MailStoreException e) {
            switch (e.reason()) {
                case OVER_QUOTA:
                    return SmtpReply.of(452, "4.2.2", "mailbox of " + d.deliveredTo() + " is full, try again later");
                case INVALID_NAME:
                    return SmtpReply.of(550, "5.1.3", "<" + d.deliveredTo() + ">: cannot have a mailbox here");
                default:
                    return storageFailure(e, envelope, d);
            }
        } catch (IOException | RuntimeException e) {
            return storageFailure(e, envelope, d);
        } finally {
            if (decision != null) {
                complete(decision, stored, d);
            }
        }
    }

    /**
     * The reply for a copy that could not be written: a full file system (ENOSPC, EDQUOT) is
     * {@code 452 4.3.1 Insufficient system storage} and a read-only one (EROFS) {@code 451 4.3.0 Mail storage is
     * read-only}, as the SMTP server answers them, logged as a warning without a stack trace (a condition of the
     * machine, not a bug); anything else is {@code 451 4.3.0} and an error with its stack trace.
     */
    private static SmtpReply storageFailure(Exception e, Envelope envelope, Destination d) {
        if (says(e, "read-only file system")) {
            LOG.warn("delivery of {} to {} failed: the mail storage is read-only: {}", envelope.transactionId(), d,
                    e.getMessage());
            return SmtpReply.of(451, "4.3.0", "Mail storage is read-only, try again later");
        }
        if (says(e, "no space left") || says(e, "quota exceeded")) {
            LOG.warn("delivery of {} to {} failed: no space left: {}", envelope.transactionId(), d, e.getMessage());
            return SmtpReply.of(452, "4.3.1", "Insufficient system storage");
        }
        LOG.error("delivery of {} to {} failed: {}", envelope.transactionId(), d, e.getMessage(), e);
        return SmtpReply.of(451, "4.3.0", "temporary failure storing the message for " + d.deliveredTo()
                + ", try again later");
    }

    /** Whether {@code e} or a cause says {@code text} (the JDK gives errno only as the message's text). */
    private static boolean says(Throwable e, String text) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t instanceof java.nio.file.FileSystemException f ? f.getReason() : t.getMessage();
            if (m != null && m.toLowerCase(Locale.ROOT).contains(text)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The mailboxes a decision files into, each once with the union of its flags: a mailbox that does not exist is
     * created when the filing asks for it, otherwise the copy goes into the default mailbox instead.
     */
    private static Map<MailboxName, Flags> targets(MailAccount account, MailboxName fallback,
                                                   DeliveryDecision decision) {
        Map<MailboxName, Flags> out = new java.util.LinkedHashMap<>();
        for (DeliveryDecision.Filing f : decision.filings()) {
            MailboxName box = f.mailbox().orElse(fallback);
            if (!box.isInbox() && !account.exists(box)) {
                if (f.create()) {
                    try {
                        account.create(box);
                    } catch (MailStoreException e) {
                        if (e.reason() != MailStoreException.Reason.ALREADY_EXISTS) {
                            LOG.warn("cannot create mailbox '{}' of {} ({}); the copy goes into {}", box,
                                    account.id(), e.getMessage(), fallback);
                            box = fallback;
                        }
                    }
                } else {
                    LOG.info("mailbox '{}' of {} does not exist; the copy goes into {}", box, account.id(),
                            fallback);
                    box = fallback;
                }
            }
            out.merge(box, f.flags(), Flags::union);
        }
        return out;
    }

    private static void complete(DeliveryDecision decision, boolean stored, Destination d) {
        for (DeliveryDecision.Completion c : decision.completions()) {
            try {
                c.done(stored);
            } catch (RuntimeException e) {
                LOG.error("a delivery rule's completion for {} failed", d.deliveredTo(), e);
            }
        }
    }

    /** The mailbox the rule chooses (created if missing), or INBOX if it chooses none or one that cannot be. */
    private MailboxName ruleMailbox(MailAccount account, Destination d, MessageSource message) {
        Optional<String> name = mailboxRule.mailboxFor(d.deliveredTo(), message);
        if (name.isEmpty()) {
            return MailboxName.INBOX;
        }
        try {
            MailboxName box = MailboxName.of(name.get());
            if (!account.exists(box)) {
                account.create(box, box.toString().equalsIgnoreCase("Junk") ? Set.of(SpecialUse.JUNK) : Set.of());
            }
            return box;
        } catch (MailStoreException e) {
            LOG.warn("mailbox rule chose '{}' for {}, which cannot be used ({}); INBOX instead", name.get(),
                    d.deliveredTo(), e.getMessage());
            return MailboxName.INBOX;
        }
    }
}
