package dev.mailkit.relay.internal;

import dev.mailkit.core.Dsn;
import dev.mailkit.core.Envelope;
import dev.mailkit.core.MailAddress;
import dev.mailkit.core.MessageSource;
import dev.mailkit.core.mime.CrlfOutputStream;
import dev.mailkit.core.mime.HeaderSection;
import dev.mailkit.core.outbound.MailLoopException;
import dev.mailkit.core.outbound.MessageSigner;
import dev.mailkit.relay.spi.QueueStorage;
import dev.mailkit.relay.spi.QueuedMessage;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Takes a submission into the {@link QueueStorage}, written (with CRLF line ends) but not yet committed: the envelope's parameters that the
 * relay keeps (BODY, SMTPUTF8, and the DSN extension's RET, ENVID, NOTIFY and ORCPT, RFC 3461), the mail loop check
 * (more than {@link #MAX_HOPS} {@code Received:} fields), the DKIM signature for the {@code From:} domain, and a
 * fresh queue id. Thread-safe.
 */
final class Intake {
    private static final Logger LOG = LoggerFactory.getLogger("dev.mailkit.relay");
    /** Like Postfix's hopcount_limit: more Received: fields than this means a mail loop. */
    static final int MAX_HOPS = 50;

    private final RelayConfig cfg;
    private final QueueStorage store;
    private final QueueIds ids;

    Intake(RelayConfig cfg, QueueStorage store) {
        this.cfg = cfg;
        this.store = store;
        this.ids = new QueueIds(cfg.clock, cfg.random);
    }

    /**
     * Writes a message durably under a temporary name: not yet visible, not yet acknowledged.
     *
     * @throws IOException if it cannot be written
     */
    Pending prepare(Envelope envelope, MessageSource message, boolean notification) throws IOException {
        if (envelope.recipients().isEmpty()) {
            throw new IllegalArgumentException("the envelope has no recipients");
        }
        Map<String, String> params = new LinkedHashMap<>();
        envelope.mailParameter("BODY").ifPresent(v -> params.put("BODY", v.toUpperCase(Locale.ROOT)));
        HeaderFacts header = headerFacts(message);
        // SMTPUTF8 (RFC 6531) is needed when an address or the header is not ASCII, whatever the client declared:
        // a message that does not need it can go to every server; one that does never goes to a server without it
        boolean utf8 = header.eightBit()
                || envelope.reversePath().map(MailAddress::isSmtpUtf8).orElse(false)
                || envelope.recipients().stream().anyMatch(MailAddress::isSmtpUtf8);
        if (utf8) {
            params.put("SMTPUTF8", "");
        }
        // DSN (RFC 3461): what the sender asked to hear about, kept for the remote server and for our own reports
        envelope.mailParameter("RET").map(v -> v.toUpperCase(Locale.ROOT)).filter(Dsn::validRet)
                .ifPresent(v -> params.put("RET", v));
        envelope.mailParameter("ENVID").filter(Dsn::validEnvid).ifPresent(v -> params.put("ENVID", v));
        List<Map<String, String>> rparams = new ArrayList<>(envelope.recipients().size());
        for (MailAddress r : envelope.recipients()) {
            Map<String, String> rp = new LinkedHashMap<>();
            Map<String, String> given = envelope.recipientParameters(r);
            Optional.ofNullable(given.get("NOTIFY")).map(Dsn::normalizeNotify).ifPresent(v -> rp.put("NOTIFY", v));
            Optional.ofNullable(given.get("ORCPT")).filter(Dsn::validOrcpt).ifPresent(v -> rp.put("ORCPT", v));
            rparams.add(rp);
        }
        int hops = header.hops();
        if (hops > MAX_HOPS) {
            throw new MailLoopException("the message has " + hops + " Received: header fields (at most "
                    + MAX_HOPS + "): it is looping between mail servers");
        }
        byte[] signature = sign(message);
        String origin = envelope.transactionId().isEmpty() ? "api" : envelope.transactionId();
        Instant now = cfg.clock.instant();
        for (int attempt = 0; ; attempt++) {
            QueuedMessage meta = new QueuedMessage(ids.next(), now, envelope.reversePath().orElse(null), params,
                    envelope.recipients(), rparams, origin, notification);
            try {
                QueueStorage.Prepared p = store.write(meta, out -> {
                    CrlfOutputStream crlf = new CrlfOutputStream(out, false);
                    if (signature != null) {
                        crlf.write(signature);
                    }
                    message.writeTo(crlf);
                    crlf.finishContent();
                    crlf.flush();
                }, message.size() + (signature == null ? 0 : signature.length));
                return new Pending(p, new StoredMessage(meta, p.contentLength()));
            } catch (FileAlreadyExistsException e) {
                if (attempt > 5) {
                    throw e;
                }
            }
        }
    }

    /**
     * What the relay needs to know of a header: the number of Received: fields (hops), and whether any octet is
     * 8-bit (UTF-8 header fields, RFC 6532).
     *
     * @param hops     the Received: fields
     * @param eightBit whether the header has an octet above 127
     */
    record HeaderFacts(int hops, boolean eightBit) {
    }

    private static HeaderFacts headerFacts(MessageSource message) throws IOException {
        try (InputStream in = new BufferedInputStream(message.openStream(), 4096)) {
            HeaderSection h = HeaderSection.read(in, 1024 * 1024);
            boolean eightBit = false;
            for (String field : h.fields()) {
                for (int i = 0; i < field.length() && !eightBit; i++) {
                    eightBit = field.charAt(i) >= 0x80; // one char per octet
                }
            }
            return new HeaderFacts(h.all("received").size(), eightBit);
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("the header section is larger")) {
                return new HeaderFacts(0, false); // a header over 1 MiB: not ours to judge; the remote server will
            }
            throw e;
        }
    }

    /** The DKIM-Signature field for the message, or null when no signer matches its From domain. */
    private byte[] sign(MessageSource message) {
        if (cfg.signers.isEmpty()) {
            return null;
        }
        try {
            String from;
            try (InputStream in = message.openStream()) {
                from = HeaderSection.read(new BufferedInputStream(in), 1024 * 1024).first("From");
            }
            if (from == null) {
                return null;
            }
            InternetAddress[] addrs = InternetAddress.parseHeader(from, false);
            if (addrs.length == 0 || addrs[0].getAddress() == null || addrs[0].getAddress().indexOf('@') < 0) {
                return null;
            }
            String a = addrs[0].getAddress();
            MessageSigner signer = cfg.signerFor(a.substring(a.lastIndexOf('@') + 1));
            if (signer == null) {
                return null;
            }
            try (InputStream in = message.openStream()) {
                return signer.sign(in, cfg.clock.instant()).getBytes(StandardCharsets.ISO_8859_1);
            }
        } catch (IOException | AddressException | RuntimeException e) {
            LOG.warn("not DKIM-signing a message: {}", Text.describe(e));
            return null;
        }
    }
}
