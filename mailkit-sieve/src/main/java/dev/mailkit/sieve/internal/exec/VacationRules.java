package dev.mailkit.sieve.internal.exec;

import java.util.List;
import java.util.Locale;

/**
 * When a vacation reply must not be sent (RFC 5230 4.5 and 5, in Pigeonhole's order and words): to the null
 * reverse-path, to the user's own addresses, to mailing lists ({@code List-*} fields), to automatic mail
 * ({@code Auto-Submitted} other than {@code no}), to bulk mail ({@code Precedence: bulk/list/junk}), when Microsoft's
 * {@code X-Auto-Response-Suppress} asks, to system addresses (MAILER-DAEMON, LISTSERV, majordomo, *-request,
 * owner-*), and for mail that does not name the user (or one of its {@code :addresses}) in To, Cc, Bcc or their
 * Resent- forms. Stateless.
 */
public final class VacationRules {
    private static final List<String> LIST_HEADERS = List.of("list-id", "list-owner", "list-subscribe", "list-post",
            "list-unsubscribe", "list-help", "list-archive");
    private static final List<String> MY_ADDRESS_HEADERS = List.of("to", "cc", "bcc", "resent-to", "resent-cc",
            "resent-bcc");

    /**
     * The outcome: the reason not to reply (as Pigeonhole logs it), or null and the address the reply comes from.
     *
     * @param refusal  why no reply is sent, or null
     * @param replyFrom the user's address found in the message (the reply's From without {@code :from})
     */
    public record Outcome(String refusal, String replyFrom) {
    }

    private VacationRules() {
    }

    /**
     * Checks a message.
     *
     * @param sender    the reverse-path ("" for {@code <>})
     * @param recipient the user's address the message was delivered to
     * @param addresses the script's {@code :addresses}
     */
    public static Outcome check(MailMessage m, String sender, String recipient, List<String> addresses) {
        if (sender.isEmpty()) {
            return new Outcome("discarded vacation reply to <>", null);
        }
        if (sender.equalsIgnoreCase(recipient)) {
            return new Outcome("discarded vacation reply to own address <" + sender + ">", null);
        }
        for (String a : addresses) {
            if (bare(a).equalsIgnoreCase(sender)) {
                return new Outcome("discarded vacation reply to own address <" + sender
                        + "> (as specified using :addresses argument)", null);
            }
        }
        for (String h : LIST_HEADERS) {
            if (m.exists(h)) {
                return new Outcome("discarding vacation response to mailinglist recipient <" + sender + ">", null);
            }
        }
        for (String v : m.raw("auto-submitted")) {
            if (!v.equalsIgnoreCase("no")) {
                return new Outcome("discarding vacation response to auto-submitted message from <" + sender + ">",
                        null);
            }
        }
        for (String v : m.raw("precedence")) {
            String p = v.toLowerCase(Locale.ROOT);
            if (p.equals("junk") || p.equals("bulk") || p.equals("list")) {
                return new Outcome("discarding vacation response to precedence=" + v + " message from <" + sender
                        + ">", null);
            }
        }
        for (String v : m.raw("x-auto-response-suppress")) {
            for (String f : v.split(",")) {
                String flag = f.strip();
                if (flag.equalsIgnoreCase("All") || flag.equalsIgnoreCase("OOF")) {
                    return new Outcome("discarding vacation response to message from <" + sender + "> (`" + flag
                            + "' flag found in x-auto-response-suppress header)", null);
                }
            }
        }
        if (isSystemAddress(sender)) {
            return new Outcome("not sending vacation response to system address <" + sender + ">", null);
        }
        for (String h : MY_ADDRESS_HEADERS) {
            List<String> values = m.raw(h);
            if (values.isEmpty()) {
                continue;
            }
            List<String> found = Addresses.fromHeader(values);
            if (contains(found, recipient)) {
                return new Outcome(null, recipient);
            }
            for (String a : addresses) {
                if (contains(found, bare(a))) {
                    return new Outcome(null, bare(a));
                }
            }
        }
        return new Outcome("discarding vacation response for implicitly delivered message; no known (envelope) "
                + "recipient address found in message headers (recipient=<" + recipient + ">, and"
                + (addresses.isEmpty() ? " no" : "") + " additional `:addresses' are specified)", null);
    }

    private static boolean contains(List<String> list, String address) {
        for (String a : list) {
            if (a.equalsIgnoreCase(address)) {
                return true;
            }
        }
        return false;
    }

    /** The address inside angle brackets, or the whole string. */
    static String bare(String a) {
        int lt = a.indexOf('<');
        int gt = a.lastIndexOf('>');
        return lt >= 0 && gt > lt ? a.substring(lt + 1, gt).strip() : a.strip();
    }

    static boolean isSystemAddress(String address) {
        int at = address.lastIndexOf('@');
        String local = (at < 0 ? address : address.substring(0, at)).toLowerCase(Locale.ROOT);
        return local.equals("mailer-daemon") || local.equals("listserv") || local.equals("majordomo")
                || local.contains("-request") || local.startsWith("owner-");
    }
}
