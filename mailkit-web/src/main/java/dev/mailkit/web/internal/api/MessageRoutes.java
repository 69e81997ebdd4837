package dev.mailkit.web.internal.api;

import dev.mailkit.core.MessageSource;
import dev.mailkit.store.FlagOperation;
import dev.mailkit.store.Flags;
import dev.mailkit.store.SystemFlag;
import dev.mailkit.store.UidSet;
import dev.mailkit.store.mime.MessageStructure;
import dev.mailkit.web.MessageTrace;
import dev.mailkit.web.internal.http.HttpException;
import dev.mailkit.web.internal.http.HttpRequest;
import dev.mailkit.web.internal.http.HttpResponse;
import dev.mailkit.web.internal.json.Json;
import dev.mailkit.web.internal.mail.HtmlText;
import dev.mailkit.web.internal.mail.MessageReader;
import dev.mailkit.web.internal.mail.PartInfo;
import dev.mailkit.web.internal.mail.Tags;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One message: Mailpit's summary ({@code GET /api/v1/message/{ID}}, which marks it read), headers, raw source,
 * parts and the {@code /view/{ID}.html|.txt} renderings. Parts and sources are served as downloads with
 * {@code nosniff} and a sandboxing Content-Security-Policy, whatever their type, so that an HTML or SVG attachment
 * opened directly can never run in the inbox's origin. Thread-safe.
 */
final class MessageRoutes {
    static final long MAX_BODY_TEXT = 4L * 1024 * 1024;
    static final String DOWNLOAD_CSP = "sandbox; default-src 'none'";

    private final Access access;

    MessageRoutes(Access access) {
        this.access = access;
    }

    HttpResponse summary(HttpRequest r, Principal p) throws IOException {
        Access.Found f = access.find(r, p, r.param("id"));
        Flags flags = f.index.flags(f.id.uid());
        if (flags != null && !flags.contains(SystemFlag.SEEN)) {
            Access.flags(f.index, UidSet.of(f.id.uid()), FlagOperation.ADD, Flags.of(SystemFlag.SEEN));
            flags = flags.with(SystemFlag.SEEN);
        }
        MessageStructure st = Access.structure(f);
        List<PartInfo> parts = MessageReader.parts(st);
        Optional<MessageTrace> trace = access.trace(p, f.digest);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ID", f.id.encode());
        m.put("MessageID", f.digest.messageId);
        m.put("From", Render.address(f.digest.from));
        m.put("To", Render.addresses(f.digest.to));
        m.put("Cc", Render.addresses(f.digest.cc));
        m.put("Bcc", Render.bcc(f.digest, p.isOpen() ? trace : Optional.empty()));
        m.put("ReplyTo", Render.addresses(f.digest.replyTo));
        m.put("ReturnPath", f.digest.returnPath);
        m.put("Subject", f.digest.subject);
        try (MessageSource src = Access.content(f)) {
            m.put("ListUnsubscribe", listUnsubscribe(MessageReader.headers(src, st)));
            m.put("Date", Render.time(f.digest.dateOrReceived()));
            m.put("Tags", Tags.of(flags));
            trace.flatMap(t -> t.envelope().authenticatedUser()).ifPresent(u -> m.put("Username", u));
            String text = "";
            String html = "";
            List<Object> inline = new ArrayList<>();
            List<Object> attachments = new ArrayList<>();
            for (PartInfo part : parts) {
                switch (part.role()) {
                    case TEXT_BODY:
                        text = MessageReader.text(src, part.part(), MAX_BODY_TEXT);
                        break;
                    case HTML_BODY:
                        html = MessageReader.text(src, part.part(), MAX_BODY_TEXT);
                        break;
                    case INLINE:
                        inline.add(attachment(src, part));
                        break;
                    default:
                        attachments.add(attachment(src, part));
                }
            }
            m.put("Text", text);
            m.put("HTML", html);
            m.put("Size", f.digest.size);
            m.put("Inline", inline);
            m.put("Attachments", attachments);
        }
        m.put("Mailbox", f.id.mailbox().name().toString());
        m.put("Account", f.id.mailbox().account().toString());
        m.put("Flagged", flags != null && flags.contains(SystemFlag.FLAGGED));
        return HttpResponse.json(Json.write(m));
    }

    private static Map<String, Object> attachment(MessageSource src, PartInfo part) throws IOException {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("PartID", part.partId());
        a.put("FileName", part.fileName());
        a.put("ContentType", part.contentType());
        a.put("ContentID", part.contentId());
        MessageDigest md5 = digest("MD5");
        MessageDigest sha1 = digest("SHA-1");
        MessageDigest sha256 = digest("SHA-256");
        long size = 0;
        try (InputStream in = decoded(src, part)) {
            byte[] buf = new byte[16384];
            int n;
            while ((n = in.read(buf)) > 0) {
                md5.update(buf, 0, n);
                sha1.update(buf, 0, n);
                sha256.update(buf, 0, n);
                size += n;
            }
        } catch (IOException e) {
            // a damaged part: the checksums cover what could be decoded
        }
        a.put("Size", size);
        Map<String, Object> sums = new LinkedHashMap<>();
        HexFormat hex = HexFormat.of();
        sums.put("MD5", hex.formatHex(md5.digest()));
        sums.put("SHA1", hex.formatHex(sha1.digest()));
        sums.put("SHA256", hex.formatHex(sha256.digest()));
        a.put("Checksums", sums);
        return a;
    }

    private static MessageDigest digest(String alg) {
        try {
            return MessageDigest.getInstance(alg);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(alg + " is missing from this JVM", e);
        }
    }

    static InputStream decoded(MessageSource src, PartInfo part) throws IOException {
        InputStream raw = MessageReader.range(src, part.part().bodyOffset(), part.part().bodyLength());
        String te = part.part().transferEncoding() == null ? "" : part.part().transferEncoding().trim()
                .toLowerCase(Locale.ROOT);
        if (te.equals("base64") || te.equals("quoted-printable") || te.equals("uuencode") || te.equals("x-uuencode")) {
            try {
                return jakarta.mail.internet.MimeUtility.decode(raw, te);
            } catch (jakarta.mail.MessagingException e) {
                return raw;
            }
        }
        return raw;
    }

    private static Map<String, Object> listUnsubscribe(List<String[]> headers) {
        String header = "";
        String post = "";
        for (String[] h : headers) {
            if (h[0].equalsIgnoreCase("List-Unsubscribe") && header.isEmpty()) {
                header = h[1];
            } else if (h[0].equalsIgnoreCase("List-Unsubscribe-Post") && post.isEmpty()) {
                post = h[1];
            }
        }
        List<Object> links = new ArrayList<>();
        int i = 0;
        while ((i = header.indexOf('<', i)) >= 0) {
            int end = header.indexOf('>', i);
            if (end < 0) {
                break;
            }
            links.add(header.substring(i + 1, end).trim());
            i = end + 1;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Header", header);
        m.put("Links", links);
        m.put("Errors", header.isEmpty() || !links.isEmpty() ? "" : "no <link> in List-Unsubscribe");
        m.put("HeaderPost", post);
        return m;
    }

    /** Header names as Go writes them (Mailpit's keys): {@code Message-Id}, {@code Content-Type}. */
    static String canonical(String name) {
        StringBuilder sb = new StringBuilder(name.length());
        boolean upper = true;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            sb.append(upper ? Character.toUpperCase(c) : Character.toLowerCase(c));
            upper = c == '-';
        }
        return sb.toString();
    }

    HttpResponse headers(HttpRequest r, Principal p) throws IOException {
        Access.Found f = access.find(r, p, r.param("id"));
        Map<String, List<String>> out = new TreeMap<>();
        try (MessageSource src = Access.content(f)) {
            for (String[] h : MessageReader.headers(src, Access.structure(f))) {
                out.computeIfAbsent(canonical(h[0]), k -> new ArrayList<>()).add(h[1]);
            }
        }
        return HttpResponse.json(Json.write(out));
    }

    HttpResponse raw(HttpRequest r, Principal p) {
        Access.Found f = access.find(r, p, r.param("id"));
        MessageSource src = Access.content(f);
        long size = src.size();
        HttpResponse resp = HttpResponse.stream(200, "text/plain; charset=utf-8", new HttpResponse.Body() {
            @Override
            public long length() {
                return size;
            }

            @Override
            public void writeTo(OutputStream out) throws IOException {
                try (MessageSource s = src) {
                    s.writeTo(out);
                }
            }
        });
        resp.header("Content-Security-Policy", DOWNLOAD_CSP);
        if (r.query("download") != null) {
            resp.header("Content-Disposition", SafeNames.contentDisposition(f.digest.subject + ".eml", "message.eml"));
        }
        return resp;
    }

    HttpResponse part(HttpRequest r, Principal p) {
        Access.Found f = access.find(r, p, r.param("id"));
        String partId = r.param("part");
        PartInfo part = null;
        for (PartInfo pi : MessageReader.parts(Access.structure(f))) {
            if (pi.partId().equals(partId)) {
                part = pi;
                break;
            }
        }
        if (part == null) {
            throw new HttpException(404, "no such part");
        }
        PartInfo found = part;
        MessageSource src = Access.content(f);
        String type = SafeNames.mediaType(part.contentType());
        String cs = SafeNames.charset(part.part().charset());
        if (type.startsWith("text/") && cs != null) {
            type = type + "; charset=" + cs;
        }
        HttpResponse resp = HttpResponse.stream(200, type, new HttpResponse.Body() {
            @Override
            public long length() {
                return -1;
            }

            @Override
            public void writeTo(OutputStream out) throws IOException {
                try (MessageSource s = src; InputStream in = decoded(s, found)) {
                    in.transferTo(out);
                } catch (IOException e) {
                    // a damaged part ends where the damage starts
                }
            }
        });
        resp.header("Content-Disposition", SafeNames.contentDisposition(part.fileName(), "part-" + partId));
        resp.header("Content-Security-Policy", DOWNLOAD_CSP);
        return resp;
    }

    HttpResponse viewHtml(HttpRequest r, Principal p) throws IOException {
        Access.Found f = access.find(r, p, r.param("id"));
        List<PartInfo> parts = MessageReader.parts(Access.structure(f));
        try (MessageSource src = Access.content(f)) {
            for (PartInfo part : parts) {
                if (part.role() == PartInfo.Role.HTML_BODY) {
                    String html = MessageReader.text(src, part.part(), MAX_BODY_TEXT);
                    boolean embed = "1".equals(r.query("embed"));
                    boolean remote = "1".equals(r.query("remote"));
                    String body = HtmlView.render(html, parts, src, embed);
                    return HttpResponse.bytes(200, "text/html; charset=utf-8",
                                    body.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                            .header("Content-Security-Policy", HtmlView.csp(remote))
                            .header("X-Frame-Options", "SAMEORIGIN");
                }
            }
        }
        throw new HttpException(404, "the message has no HTML part");
    }

    HttpResponse viewText(HttpRequest r, Principal p) throws IOException {
        Access.Found f = access.find(r, p, r.param("id"));
        List<PartInfo> parts = MessageReader.parts(Access.structure(f));
        String text = null;
        String html = null;
        try (MessageSource src = Access.content(f)) {
            for (PartInfo part : parts) {
                if (part.role() == PartInfo.Role.TEXT_BODY) {
                    text = MessageReader.text(src, part.part(), MAX_BODY_TEXT);
                } else if (part.role() == PartInfo.Role.HTML_BODY) {
                    html = MessageReader.text(src, part.part(), MAX_BODY_TEXT);
                }
            }
        }
        if (text == null && html != null) {
            text = HtmlText.toText(html);
        }
        if (text == null) {
            throw new HttpException(404, "the message has no text part");
        }
        return HttpResponse.text(200, text).header("Content-Security-Policy", DOWNLOAD_CSP)
                .header("X-Frame-Options", "SAMEORIGIN");
    }
}
