package dev.mailkit.web.internal.mail;

import dev.mailkit.core.MessageSource;
import dev.mailkit.store.MessageInfo;
import dev.mailkit.store.mime.MessageStructure;
import jakarta.mail.internet.MailDateFormat;

import java.io.IOException;
import java.text.ParsePosition;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the message list and the search need of one message, computed once when the message is indexed: decoded
 * addresses and subject, Message-ID, Return-Path, the SMTP transaction id from mailkit's {@code Received:} field,
 * a 250-character snippet, the attachment count, and the lower-cased text that plain search words are matched
 * against (subject, addresses, up to {@value #SEARCH_TEXT} characters of the body text, file names). Flags are not
 * here: they change, and are read from the store when needed. Immutable.
 */
public final class Digest {
    static final int SEARCH_TEXT = 8 * 1024;
    private static final Pattern MAILKIT_ID = Pattern.compile("\\(mailkit\\) with [A-Za-z0-9]+ id ([A-Za-z0-9._-]+)");

    public final long uid;
    public final long internalDate;
    public final long size;
    public final long date;
    public final MessageReader.Address from;
    public final List<MessageReader.Address> to;
    public final List<MessageReader.Address> cc;
    public final List<MessageReader.Address> bcc;
    public final List<MessageReader.Address> replyTo;
    public final String subject;
    public final String messageId;
    public final String returnPath;
    public final String transactionId;
    public final String snippet;
    public final int attachments;
    public final int inline;
    final String searchText;
    /** A 4096-bit Bloom filter of the search text's trigrams: most non-matching messages are skipped unread. */
    private final long[] trigrams;
    // lower-cased "name address" texts for the search keys
    final String fromText;
    final String toText;
    final String ccText;
    final String bccText;
    final String replyToText;
    final String subjectLower;
    final String returnPathLower;

    private Digest(long uid, long internalDate, long size, long date, MessageReader.Address from,
                   List<MessageReader.Address> to, List<MessageReader.Address> cc, List<MessageReader.Address> bcc,
                   List<MessageReader.Address> replyTo, String subject, String messageId, String returnPath,
                   String transactionId, String snippet, int attachments, int inline, String searchText) {
        this.uid = uid;
        this.internalDate = internalDate;
        this.size = size;
        this.date = date;
        this.from = from;
        this.to = to;
        this.cc = cc;
        this.bcc = bcc;
        this.replyTo = replyTo;
        this.subject = subject;
        this.messageId = messageId;
        this.returnPath = returnPath;
        this.transactionId = transactionId;
        this.snippet = snippet;
        this.attachments = attachments;
        this.inline = inline;
        this.searchText = searchText;
        this.trigrams = trigramFilter(searchText);
        this.fromText = lower(List.of(from));
        this.toText = lower(to);
        this.ccText = lower(cc);
        this.bccText = lower(bcc);
        this.replyToText = lower(replyTo);
        this.subjectLower = subject.toLowerCase(Locale.ROOT);
        this.returnPathLower = returnPath.toLowerCase(Locale.ROOT);
    }

    static long[] trigramFilter(String s) {
        long[] f = new long[64];
        for (int i = 0; i + 2 < s.length(); i++) {
            int h = trigramBit(s.charAt(i), s.charAt(i + 1), s.charAt(i + 2));
            f[h >>> 6] |= 1L << (h & 63);
        }
        return f;
    }

    /** The filter bit of a trigram (0..4095). */
    static int trigramBit(char a, char b, char c) {
        int x = (a * 31 + b) * 31 + c;
        return (x * 0x9E3779B9) >>> 20;
    }

    /** False when the search text certainly lacks one of these trigram bits (see {@link SearchQuery}). */
    boolean mayContain(int[] bits) {
        for (int b : bits) {
            if ((trigrams[b >>> 6] & (1L << (b & 63))) == 0) {
                return false;
            }
        }
        return true;
    }

    private static String lower(List<MessageReader.Address> list) {
        StringBuilder sb = new StringBuilder();
        for (MessageReader.Address a : list) {
            sb.append(a.name).append(' ').append(a.address).append('\n');
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }

    /** Computes the digest of a stored message. */
    public static Digest of(MessageInfo info, MessageStructure structure, MessageSource source) throws IOException {
        String from = null, to = null, cc = null, bcc = null, replyTo = null, subject = null, messageId = null;
        String returnPath = null, date = null, txid = "";
        for (String[] h : MessageReader.headers(source, structure)) {
            String n = h[0].toLowerCase(Locale.ROOT);
            switch (n) {
                case "from": from = first(from, h[1]); break;
                case "to": to = first(to, h[1]); break;
                case "cc": cc = first(cc, h[1]); break;
                case "bcc": bcc = first(bcc, h[1]); break;
                case "reply-to": replyTo = first(replyTo, h[1]); break;
                case "subject": subject = first(subject, h[1]); break;
                case "message-id": messageId = first(messageId, h[1]); break;
                case "return-path": returnPath = first(returnPath, h[1]); break;
                case "date": date = first(date, h[1]); break;
                case "received":
                    if (txid.isEmpty()) {
                        Matcher m = MAILKIT_ID.matcher(h[1]);
                        if (m.find()) {
                            txid = m.group(1);
                        }
                    }
                    break;
                default:
                    break;
            }
        }
        List<PartInfo> parts = MessageReader.parts(structure);
        String text = "";
        String html = null;
        int attachments = 0;
        int inline = 0;
        StringBuilder names = new StringBuilder();
        for (PartInfo p : parts) {
            switch (p.role()) {
                case TEXT_BODY:
                    text = MessageReader.text(source, p.part(), SEARCH_TEXT * 2L);
                    break;
                case HTML_BODY:
                    html = MessageReader.text(source, p.part(), SEARCH_TEXT * 4L);
                    break;
                case INLINE:
                    inline++;
                    break;
                default:
                    attachments++;
                    names.append(' ').append(p.fileName());
            }
        }
        String body = HtmlText.collapse(text.isEmpty() && html != null ? HtmlText.toText(html) : text);
        String snippet = body.length() > 250 ? body.substring(0, 250) : body;
        List<MessageReader.Address> fromList = MessageReader.addresses(from);
        MessageReader.Address f = fromList.isEmpty() ? new MessageReader.Address("", "") : fromList.get(0);
        List<MessageReader.Address> toL = MessageReader.addresses(to);
        List<MessageReader.Address> ccL = MessageReader.addresses(cc);
        List<MessageReader.Address> bccL = MessageReader.addresses(bcc);
        List<MessageReader.Address> rtL = MessageReader.addresses(replyTo);
        String subj = MessageReader.decodeWords(subject).trim();
        StringBuilder search = new StringBuilder(subj.length() + body.length() + 128);
        search.append(subj).append(' ');
        addresses(search, fromList);
        addresses(search, toL);
        addresses(search, ccL);
        addresses(search, bccL);
        search.append(body, 0, Math.min(body.length(), SEARCH_TEXT)).append(names);
        return new Digest(info.uid(), info.internalDate().toEpochMilli(), info.size(), parseDate(date), f,
                List.copyOf(toL), List.copyOf(ccL), List.copyOf(bccL), List.copyOf(rtL), subj,
                messageId == null ? "" : MessageReader.stripAngles(messageId),
                returnPath == null ? "" : MessageReader.stripAngles(returnPath), txid, snippet, attachments, inline,
                search.toString().toLowerCase(Locale.ROOT));
    }

    /** The digest of a message that could not be read (its size and date are still known). */
    public static Digest unreadable(MessageInfo info) {
        MessageReader.Address none = new MessageReader.Address("", "");
        return new Digest(info.uid(), info.internalDate().toEpochMilli(), info.size(), -1, none, List.of(), List.of(),
                List.of(), List.of(), "(unreadable message)", "", "", "", "", 0, 0, "");
    }

    private static void addresses(StringBuilder sb, List<MessageReader.Address> list) {
        for (MessageReader.Address a : list) {
            sb.append(a.name).append(' ').append(a.address).append(' ');
        }
    }

    private static String first(String old, String v) {
        return old != null ? old : v;
    }

    private static long parseDate(String s) {
        if (s == null) {
            return -1;
        }
        Date d = new MailDateFormat().parse(s.trim(), new ParsePosition(0));
        return d == null ? -1 : d.getTime();
    }

    /** The Date header's time, or the internal date. */
    public long dateOrReceived() {
        return date >= 0 ? date : internalDate;
    }
}
