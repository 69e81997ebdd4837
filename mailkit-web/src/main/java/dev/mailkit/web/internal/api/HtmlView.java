package dev.mailkit.web.internal.api;

import dev.mailkit.core.MessageSource;
import dev.mailkit.web.internal.mail.MessageReader;
import dev.mailkit.web.internal.mail.PartInfo;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A message's HTML as the inbox shows it. The HTML itself is the sender's, unchanged but for two things: {@code cid:}
 * references to the message's own images become {@code data:} URLs (so the page needs nothing from the server or
 * anyone else), and, for the inbox's frame, a {@code <base target="_blank">} so links open in a new tab. What keeps
 * it harmless is the response's Content-Security-Policy, which applies however the page is opened (framed or
 * directly): {@code sandbox} without {@code allow-scripts}, {@code allow-same-origin} or {@code allow-forms} (no
 * script runs, no form is sent, the page has an opaque origin that cannot read the inbox or its cookies), and
 * {@code default-src 'none'} with images, styles and fonts only from {@code data:} until the user allows remote
 * content ({@code remote=1}), and even then never scripts, frames, objects or connections. Stateless.
 */
final class HtmlView {
    private static final Pattern CID = Pattern.compile("(?i)cid:([^\"'\\s<>)]+)");
    private static final Pattern DOCTYPE = Pattern.compile("^\\s*(<!doctype[^>]*>)", Pattern.CASE_INSENSITIVE);
    private static final long MAX_IMAGE = 4L * 1024 * 1024;
    private static final long MAX_IMAGES = 16L * 1024 * 1024;

    private HtmlView() {
    }

    /** The Content-Security-Policy of a message's HTML. */
    static String csp(boolean remote) {
        String r = remote ? " http: https:" : "";
        return "sandbox allow-popups allow-popups-to-escape-sandbox; default-src 'none'; img-src data:" + r
                + "; style-src 'unsafe-inline'" + r + "; font-src data:" + r + "; media-src data:" + r
                + "; form-action 'none'; base-uri 'none'; frame-ancestors 'self'";
    }

    /** The HTML with its {@code cid:} images inlined, and for the frame the base target. */
    static String render(String html, List<PartInfo> parts, MessageSource source, boolean embed) throws IOException {
        String out = inlineImages(html, parts, source);
        if (!embed) {
            return out;
        }
        String head = "<meta charset=\"utf-8\"><base target=\"_blank\">";
        Matcher m = DOCTYPE.matcher(out);
        if (m.find()) {
            return m.group(1) + head + out.substring(m.end());
        }
        return head + out;
    }

    private static String inlineImages(String html, List<PartInfo> parts, MessageSource source) throws IOException {
        Matcher m = CID.matcher(html);
        StringBuilder sb = new StringBuilder(html.length());
        long budget = MAX_IMAGES;
        int last = 0;
        while (m.find()) {
            String cid = decode(m.group(1));
            PartInfo p = find(parts, cid);
            String replacement = null;
            if (p != null && p.contentType().startsWith("image/") && budget > 0) {
                byte[] b = MessageReader.decodedBody(source, p.part(), Math.min(MAX_IMAGE, budget));
                budget -= b.length;
                replacement = "data:" + SafeNames.mediaType(p.contentType()) + ";base64,"
                        + Base64.getEncoder().encodeToString(b);
            }
            if (replacement != null) {
                sb.append(html, last, m.start()).append(replacement);
                last = m.end();
            }
        }
        sb.append(html, last, html.length());
        return sb.toString();
    }

    private static String decode(String cid) {
        try {
            return URLDecoder.decode(cid.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return cid;
        }
    }

    private static PartInfo find(List<PartInfo> parts, String cid) {
        String c = cid.toLowerCase(Locale.ROOT);
        for (PartInfo p : parts) {
            if (!p.contentId().isEmpty() && p.contentId().toLowerCase(Locale.ROOT).equals(c)) {
                return p;
            }
        }
        return null;
    }
}
