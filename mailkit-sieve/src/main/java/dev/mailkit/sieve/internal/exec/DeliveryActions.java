package dev.mailkit.sieve.internal.exec;

import dev.mailkit.core.Envelope;
import dev.mailkit.core.MailAddress;
import dev.mailkit.core.MailAddressException;
import dev.mailkit.core.MessageSource;
import dev.mailkit.core.SmtpReply;
import dev.mailkit.core.outbound.OutboundQueue;
import dev.mailkit.sieve.SieveAction;
import dev.mailkit.sieve.SieveEnvelope;
import dev.mailkit.sieve.SieveResult;
import dev.mailkit.sieve.VacationMemory;
import dev.mailkit.store.AccountId;
import dev.mailkit.store.Flags;
import dev.mailkit.store.MailStoreException;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.SystemFlag;
import dev.mailkit.store.delivery.DeliveryDecision;
import dev.mailkit.store.delivery.DeliveryRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Turns a script's result into the delivery agent's decision: filings with flags, a refusal, and the redirects and
 * vacation reply prepared on the outbound queue now and committed (or aborted) when the agent knows whether the
 * copies were stored. Thread-safe (holds only immutable configuration).
 */
public final class DeliveryActions {
    private static final Logger LOG = LoggerFactory.getLogger("dev.mailkit.sieve.SieveDelivery");
    /** The header a redirected message carries, naming the user whose script redirected it. */
    public static final String REDIRECTED_FROM = "X-Sieve-Redirected-From";
    /** More redirect hops than this and a message is kept instead of redirected again. */
    static final int MAX_REDIRECT_HOPS = 10;

    private final OutboundQueue outbound;
    private final VacationMemory memory;
    private final Clock clock;
    private final String hostName;
    private final Random random;

    public DeliveryActions(OutboundQueue outbound, VacationMemory memory, Clock clock, String hostName,
                           Random random) {
        this.outbound = outbound;
        this.memory = memory;
        this.clock = clock;
        this.hostName = hostName;
        this.random = random;
    }

    /** The decision for a result (the result's side effects prepared). */
    public DeliveryDecision decision(DeliveryRequest request, SieveEnvelope env, SieveResult result)
            throws IOException {
        DeliveryDecision.Builder d = DeliveryDecision.builder();
        List<OutboundQueue.Prepared> prepared = new ArrayList<>();
        boolean keep = result.implicitKeep();
        List<String> keepFlags = result.implicitKeepFlags();
        MailMessage message = null;
        try {
            for (SieveAction a : result.actions()) {
                if (a instanceof SieveAction.Store s) {
                    Flags flags = flags(s.flags());
                    if (s.isKeep()) {
                        d.keep(flags);
                    } else {
                        MailboxName box = mailbox(s.mailbox());
                        if (box == null) {
                            LOG.warn("sieve: '{}' is not a valid mailbox name; the copy goes into {}", s.mailbox(),
                                    request.defaultMailbox());
                            d.keep(flags);
                        } else {
                            d.fileInto(box, flags, s.create());
                        }
                    }
                } else if (a instanceof SieveAction.Reject r) {
                    return DeliveryDecision.builder().refuse(rejection(r.reason())).build();
                } else if (a instanceof SieveAction.Redirect r) {
                    OutboundQueue.Prepared p = redirect(request, r);
                    if (p == null) {
                        keep = true; // the redirect cannot be carried out: the message is kept
                    } else {
                        prepared.add(p);
                    }
                } else if (a instanceof SieveAction.Vacation v) {
                    if (message == null) {
                        message = MailMessage.of(request.message());
                    }
                    vacation(request, env, v, message, d);
                }
            }
        } catch (IOException | RuntimeException e) {
            for (OutboundQueue.Prepared p : prepared) {
                p.abort();
            }
            throw e;
        }
        if (keep) {
            d.keep(flags(keepFlags));
        }
        for (OutboundQueue.Prepared p : prepared) {
            d.onCompletion(stored -> finish(p, stored, null, null));
        }
        return d.build();
    }

    private void finish(OutboundQueue.Prepared p, boolean stored, AccountId account, String key) {
        if (!stored) {
            p.abort();
            if (key != null) {
                try {
                    memory.forget(account, key);
                } catch (IOException e) {
                    LOG.warn("cannot update the vacation memory of {}: {}", account, e.getMessage());
                }
            }
            return;
        }
        try {
            p.commit();
        } catch (IOException e) {
            LOG.error("sieve: cannot queue {} ({}): {}", key == null ? "a redirect" : "a vacation reply", p.id(),
                    e.getMessage());
        }
    }

    /** The refusal of reject/ereject: {@code 550 5.7.1} and the reason on one printable ASCII line. */
    public static SmtpReply rejection(String reason) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < reason.length() && b.length() < 200; i++) {
            char c = reason.charAt(i);
            b.append(c < 0x20 || c >= 0x7f ? ' ' : c);
        }
        String text = b.toString().strip().replaceAll(" {2,}", " ");
        return SmtpReply.of(550, "5.7.1", text.isEmpty() ? "rejected by the recipient's filter" : text);
    }

    private static MailboxName mailbox(String name) {
        try {
            return MailboxName.of(name);
        } catch (MailStoreException | IllegalArgumentException e) {
            return null;
        }
    }

    /** IMAP flags from a script's: system flags without case, valid keywords; others (and \Recent) left out. */
    static Flags flags(List<String> names) {
        List<SystemFlag> system = new ArrayList<>();
        List<String> keywords = new ArrayList<>();
        for (String n : names) {
            if (n.startsWith("\\")) {
                for (SystemFlag f : SystemFlag.values()) {
                    if (f.imapName().equalsIgnoreCase(n) && !n.equalsIgnoreCase("\\Recent")) {
                        system.add(f);
                    }
                }
            } else if (Flags.isValidKeyword(n)) {
                keywords.add(n);
            }
        }
        try {
            return Flags.of(system, keywords);
        } catch (RuntimeException e) {
            return Flags.of(system, List.of());
        }
    }

    private OutboundQueue.Prepared redirect(DeliveryRequest request, SieveAction.Redirect r) throws IOException {
        if (outbound == null) {
            LOG.warn("sieve: redirect to <{}> for {} cannot be sent (no outbound queue); the message is kept",
                    r.address(), request.recipient());
            return null;
        }
        MailMessage m = MailMessage.of(request.message());
        List<String> hops = m.raw(REDIRECTED_FROM);
        String me = request.recipient().toString();
        for (String h : hops) {
            if (VacationRules.bare(h).equalsIgnoreCase(me)) {
                LOG.warn("sieve: {} redirected this message before (a redirect loop); it is kept instead", me);
                return null;
            }
        }
        if (hops.size() >= MAX_REDIRECT_HOPS) {
            LOG.warn("sieve: message was redirected {} times already; it is kept instead of redirected again",
                    hops.size());
            return null;
        }
        MailAddress target;
        try {
            target = MailAddress.parse(r.address());
        } catch (MailAddressException e) {
            LOG.warn("sieve: redirect address <{}> is not usable ({}); the message is kept", r.address(),
                    e.getMessage());
            return null;
        }
        Envelope.Builder e = Envelope.builder().recipient(target);
        request.envelope().reversePath().ifPresent(e::reversePath);
        byte[] prefix = (REDIRECTED_FROM + ": <" + me + ">\r\n").getBytes(StandardCharsets.UTF_8);
        try (MessageSource copy = request.message().withPrefix(prefix)) {
            return outbound.prepare(e.build(), copy);
        }
    }

    private void vacation(DeliveryRequest request, SieveEnvelope env, SieveAction.Vacation v, MailMessage m,
                          DeliveryDecision.Builder d) throws IOException {
        VacationRules.Outcome o = VacationRules.check(m, env.from(), env.to(), v.addresses());
        if (o.refusal() != null) {
            LOG.info("sieve: vacation action of {}: {}", env.to(), o.refusal());
            return;
        }
        if (outbound == null) {
            LOG.warn("sieve: vacation reply of {} to <{}> cannot be sent (no outbound queue)", env.to(), env.from());
            return;
        }
        AccountId account = request.account().id();
        String key = key(env.from(), v.handle());
        Instant now = clock.instant();
        if (!memory.tryRecord(account, key, now, now.plus(v.period()))) {
            LOG.info("sieve: vacation action of {}: discarded duplicate vacation response to <{}>", env.to(),
                    env.from());
            return;
        }
        boolean done = false;
        try {
            String from = v.from() != null ? v.from() : "<" + o.replyFrom() + ">";
            String subject = v.subject() != null ? v.subject() : VacationReply.defaultSubject(m);
            byte[] reply = VacationReply.compose(m, from, env.from(), subject, v.reason(), v.mime(), messageId(),
                    ZonedDateTime.now(clock));
            Envelope e = Envelope.builder().recipient(MailAddress.parse(env.from())).build();
            OutboundQueue.Prepared p;
            try (MessageSource src = MessageSource.of(reply)) {
                p = outbound.prepare(e, src);
            }
            d.onCompletion(stored -> finish(p, stored, account, key));
            done = true;
        } catch (MailAddressException ex) {
            LOG.warn("sieve: cannot reply to <{}>: {}", env.from(), ex.getMessage());
        } finally {
            if (!done) {
                memory.forget(account, key);
            }
        }
    }

    private String messageId() {
        byte[] b = new byte[12];
        random.nextBytes(b);
        return "<sieve-" + HexFormat.of().formatHex(b) + "@" + hostName.toLowerCase(Locale.ROOT) + ">";
    }

    /** Pigeonhole's key: MD5 of the lower-case sender and the handle. */
    static String key(String sender, String handle) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            md5.update(sender.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
            md5.update(handle.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(md5.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
