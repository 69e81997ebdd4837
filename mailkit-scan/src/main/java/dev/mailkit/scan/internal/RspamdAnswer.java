package dev.mailkit.scan.internal;

import dev.mailkit.core.SmtpReply;
import dev.mailkit.scan.HeaderEdit;
import dev.mailkit.scan.ScanResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;

/**
 * Rspamd's {@code /checkv2} answer as a {@link ScanResult}: the action, score, symbols, SMTP message, rewritten
 * subject, the {@code milter} block's header edits and a {@code dkim-signature}. An edit that could inject anything
 * (a line break that is not folding, a bad field name) is left out and logged; at most 100 edits are taken.
 */
public final class RspamdAnswer {
    private static final int MAX_EDITS = 100;

    private RspamdAnswer() {
    }

    /**
     * Parses the JSON answer.
     *
     * @throws ScanProtocolException if it is not JSON, has no action, or an action this client does not know
     */
    public static ScanResult parse(String json) throws ScanProtocolException {
        if (!(Json.parse(json) instanceof Map<?, ?> m)) {
            throw new ScanProtocolException("rspamd's answer is not a JSON object");
        }
        Object action = m.get("action");
        if (!(action instanceof String a)) {
            throw new ScanProtocolException("rspamd's answer has no action"
                    + (m.containsKey("error") ? ": " + Texts.printable(String.valueOf(m.get("error")), 100) : ""));
        }
        String message = m.get("messages") instanceof Map<?, ?> msgs && msgs.get("smtp_message") instanceof String s
                ? Texts.printable(s, 200) : "";
        ScanResult.Verdict verdict;
        SmtpReply reply = null;
        switch (a) {
            case "no action" -> verdict = ScanResult.Verdict.CLEAN;
            case "add header", "rewrite subject" -> verdict = ScanResult.Verdict.SPAM;
            case "reject" -> {
                verdict = ScanResult.Verdict.REJECT;
                reply = SmtpReply.of(550, "5.7.1", message.isEmpty() ? "Spam message rejected" : message);
            }
            case "soft reject", "greylist" -> {
                verdict = ScanResult.Verdict.TEMPFAIL;
                reply = SmtpReply.of(451, "4.7.1", message.isEmpty() ? "Try again later" : message);
            }
            case "discard" -> verdict = ScanResult.Verdict.DISCARD;
            case "quarantine" -> verdict = ScanResult.Verdict.QUARANTINE;
            default -> throw new ScanProtocolException("rspamd answered an unknown action '" + Texts.printable(a, 40)
                    + "'");
        }
        ScanResult.Builder r = ScanResult.builder(verdict).score(number(m.get("score")),
                number(m.get("required_score")));
        if (reply != null) {
            r.reply(reply);
        }
        if (m.get("symbols") instanceof Map<?, ?> symbols) {
            for (Object name : symbols.keySet()) {
                r.symbol(String.valueOf(name));
            }
        }
        int[] edits = {0};
        if (a.equals("rewrite subject") && m.get("subject") instanceof String subject) {
            edit(r, edits, () -> HeaderEdit.change("Subject", 1, subject));
        }
        if (m.get("milter") instanceof Map<?, ?> milter) {
            if (milter.get("remove_headers") instanceof Map<?, ?> remove) {
                for (Map.Entry<?, ?> e : remove.entrySet()) {
                    int nth = (int) number(e.getValue());
                    edit(r, edits, () -> HeaderEdit.remove(String.valueOf(e.getKey()), nth));
                }
            }
            if (milter.get("add_headers") instanceof Map<?, ?> add) {
                for (Map.Entry<?, ?> e : add.entrySet()) {
                    String name = String.valueOf(e.getKey());
                    if (e.getValue() instanceof List<?> list) {
                        for (Object v : list) {
                            added(r, edits, name, v);
                        }
                    } else {
                        added(r, edits, name, e.getValue());
                    }
                }
            }
        }
        Object dkim = m.get("dkim-signature");
        if (dkim instanceof String sig) {
            edit(r, edits, () -> HeaderEdit.insert(0, "DKIM-Signature", sig));
        } else if (dkim instanceof List<?> sigs) {
            for (Object sig : sigs) {
                if (sig instanceof String s) {
                    edit(r, edits, () -> HeaderEdit.insert(0, "DKIM-Signature", s));
                }
            }
        }
        return r.build();
    }

    /** {@code "value"} adds at the end; {@code {"value": v, "order": n}} inserts at position n. */
    private static void added(ScanResult.Builder r, int[] edits, String name, Object v) {
        if (v instanceof String s) {
            edit(r, edits, () -> HeaderEdit.add(name, s));
        } else if (v instanceof Map<?, ?> o && o.get("value") instanceof String s) {
            double order = number(o.get("order"));
            edit(r, edits, () -> Double.isNaN(order) || order < 0 ? HeaderEdit.add(name, s)
                    : HeaderEdit.insert((int) Math.min(order, 1000), name, s));
        }
    }

    private interface EditSupplier {
        HeaderEdit get();
    }

    private static void edit(ScanResult.Builder r, int[] count, EditSupplier e) {
        if (count[0] >= MAX_EDITS) {
            return;
        }
        try {
            r.edit(e.get());
            count[0]++;
        } catch (IllegalArgumentException refused) {
            Log.LOG.warn("rspamd asked for a header edit that is refused: {}", refused.getMessage());
        }
    }

    private static double number(Object o) {
        return o instanceof Double d ? d : Double.NaN;
    }

    /** The logger, created when first used. */
    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger(RspamdAnswer.class);
    }
}
