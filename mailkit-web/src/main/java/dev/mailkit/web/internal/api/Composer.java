package dev.mailkit.web.internal.api;

import dev.mailkit.core.MailAddress;
import dev.mailkit.core.MailAddressException;
import dev.mailkit.web.internal.http.HttpException;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimeUtility;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UnsupportedEncodingException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Builds a MIME message from Mailpit's send request: From, To, Cc, Bcc (envelope only), ReplyTo, Subject, Text,
 * HTML, Attachments (base64 content; with a ContentID they are inline, in a multipart/related with the HTML) and
 * extra Headers. Extra header names must be tokens and values must not hold line breaks; the fields that make the
 * message's structure cannot be replaced. A user who is logged in sends only as their own address. Stateless.
 */
final class Composer {
    private static final Set<String> RESERVED = Set.of("content-type", "content-transfer-encoding", "mime-version",
            "from", "to", "cc", "bcc", "subject", "message-id", "date", "received", "return-path", "sender");

    private Composer() {
    }

    /** A message ready to send. */
    static final class Composed {
        final byte[] bytes;
        final MailAddress from;
        final List<MailAddress> recipients;
        final String messageId;

        Composed(byte[] bytes, MailAddress from, List<MailAddress> recipients, String messageId) {
            this.bytes = bytes;
            this.from = from;
            this.recipients = recipients;
            this.messageId = messageId;
        }
    }

    static Composed compose(Map<String, Object> req, MailAddress sender, String hostName, String inReplyTo,
                            SecureRandom random) {
        try {
            return build(req, sender, hostName, inReplyTo, random);
        } catch (MessagingException | UnsupportedEncodingException e) {
            throw new HttpException(400, "cannot build the message: " + e.getMessage());
        }
    }

    private static Composed build(Map<String, Object> req, MailAddress sender, String hostName, String inReplyTo,
                                  SecureRandom random) throws MessagingException, UnsupportedEncodingException {
        Object fromObj = req.get("From");
        if (!(fromObj instanceof Map)) {
            throw new HttpException(400, "From is required: {\"Email\": ..., \"Name\": ...}");
        }
        InternetAddress from = address((Map<?, ?>) fromObj, "From");
        MailAddress fromAddress = parse(from.getAddress(), "From");
        if (sender != null && !fromAddress.lookupKey().equals(sender.lookupKey())) {
            throw new HttpException(400, "you can send only as " + sender);
        }
        String messageId = Long.toString(random.nextLong() & Long.MAX_VALUE, 36) + "."
                + Long.toString(System.nanoTime() & Long.MAX_VALUE, 36) + "@" + hostName;
        MimeMessage m = new MimeMessage(Session.getInstance(new Properties())) {
            @Override
            protected void updateMessageID() throws MessagingException {
                setHeader("Message-ID", "<" + messageId + ">");
            }
        };
        m.setFrom(from);
        List<MailAddress> rcpts = new ArrayList<>();
        InternetAddress[] to = addresses(req.get("To"), "To", rcpts);
        InternetAddress[] cc = addresses(req.get("Cc"), "Cc", rcpts);
        for (String b : MailpitApi.strings(req.get("Bcc"), "Bcc")) {
            MailAddress a = parse(b, "Bcc");
            if (!rcpts.contains(a)) {
                rcpts.add(a);
            }
        }
        if (rcpts.isEmpty()) {
            throw new HttpException(400, "give at least one recipient in To, Cc or Bcc");
        }
        if (to.length > 0) {
            m.setRecipients(jakarta.mail.Message.RecipientType.TO, to);
        }
        if (cc.length > 0) {
            m.setRecipients(jakarta.mail.Message.RecipientType.CC, cc);
        }
        InternetAddress[] replyTo = addresses(req.get("ReplyTo"), "ReplyTo", new ArrayList<>());
        if (replyTo.length > 0) {
            m.setReplyTo(replyTo);
        }
        m.setSubject(line(req.get("Subject"), "Subject"), "UTF-8");
        m.setSentDate(new Date());
        if (inReplyTo != null && !inReplyTo.isEmpty()) {
            m.setHeader("In-Reply-To", "<" + inReplyTo + ">");
            m.setHeader("References", "<" + inReplyTo + ">");
        }
        Object headers = req.get("Headers");
        if (headers instanceof Map) {
            for (Map.Entry<?, ?> e : ((Map<?, ?>) headers).entrySet()) {
                String name = String.valueOf(e.getKey());
                String value = String.valueOf(e.getValue());
                if (!token(name) || RESERVED.contains(name.toLowerCase(Locale.ROOT))) {
                    throw new HttpException(400, "header " + name.replaceAll("[^\\x21-\\x7e]", "?")
                            + " cannot be set");
                }
                if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0 || value.indexOf('\0') >= 0) {
                    throw new HttpException(400, "header values cannot contain line breaks");
                }
                m.setHeader(name, MimeUtility.fold(name.length() + 2, MimeUtility.encodeText(value, "UTF-8", null)));
            }
        } else if (headers != null) {
            throw new HttpException(400, "Headers must be an object of names and values");
        }
        m.setContent(body(req));
        m.saveChanges();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            m.writeTo(out);
        } catch (IOException e) {
            throw new MessagingException(e.getMessage(), e);
        }
        return new Composed(out.toByteArray(), fromAddress, List.copyOf(rcpts), messageId);
    }

    private static MimeMultipart body(Map<String, Object> req) throws MessagingException {
        String text = string(req.get("Text"), "Text");
        String html = string(req.get("HTML"), "HTML");
        List<MimeBodyPart> inline = new ArrayList<>();
        List<MimeBodyPart> attachments = new ArrayList<>();
        Object atts = req.get("Attachments");
        if (atts != null && !(atts instanceof List)) {
            throw new HttpException(400, "Attachments must be an array");
        }
        if (atts != null) {
            for (Object o : (List<?>) atts) {
                if (!(o instanceof Map)) {
                    throw new HttpException(400, "each attachment is an object with Content and Filename");
                }
                Map<?, ?> a = (Map<?, ?>) o;
                String name = line(a.get("Filename"), "Filename");
                byte[] content;
                try {
                    content = Base64.getMimeDecoder().decode(string(a.get("Content"), "Content"));
                } catch (IllegalArgumentException e) {
                    throw new HttpException(400, "attachment " + SafeNames.fileName(name, "?") + " is not base64");
                }
                String type = SafeNames.mediaType(string(a.get("ContentType"), "ContentType"));
                if (type.equals("application/octet-stream")) {
                    type = guess(name);
                }
                MimeBodyPart part = new MimeBodyPart();
                part.setDataHandler(new jakarta.activation.DataHandler(
                        new jakarta.mail.util.ByteArrayDataSource(content, type)));
                String cid = string(a.get("ContentID"), "ContentID");
                if (!name.isEmpty()) {
                    try {
                        part.setFileName(MimeUtility.encodeText(name, "UTF-8", null));
                    } catch (UnsupportedEncodingException e) {
                        throw new MessagingException(e.getMessage(), e);
                    }
                }
                if (!cid.isEmpty()) {
                    if (!token(cid.replace("@", "").replace(".", ""))) {
                        throw new HttpException(400, "ContentID must be letters, digits and - _ . @");
                    }
                    part.setContentID("<" + cid + ">");
                    part.setDisposition("inline");
                    inline.add(part);
                } else {
                    part.setDisposition("attachment");
                    attachments.add(part);
                }
            }
        }
        MimeMultipart alternative = new MimeMultipart("alternative");
        MimeBodyPart textPart = new MimeBodyPart();
        textPart.setText(text, "UTF-8", "plain");
        alternative.addBodyPart(textPart);
        if (!html.isEmpty()) {
            MimeBodyPart htmlPart = new MimeBodyPart();
            htmlPart.setText(html, "UTF-8", "html");
            if (inline.isEmpty()) {
                alternative.addBodyPart(htmlPart);
            } else {
                MimeMultipart related = new MimeMultipart("related");
                related.addBodyPart(htmlPart);
                for (MimeBodyPart p : inline) {
                    related.addBodyPart(p);
                }
                MimeBodyPart relatedPart = new MimeBodyPart();
                relatedPart.setContent(related);
                alternative.addBodyPart(relatedPart);
            }
        } else {
            attachments.addAll(0, inline);
        }
        if (attachments.isEmpty()) {
            return alternative;
        }
        MimeMultipart mixed = new MimeMultipart("mixed");
        MimeBodyPart altPart = new MimeBodyPart();
        altPart.setContent(alternative);
        mixed.addBodyPart(altPart);
        for (MimeBodyPart p : attachments) {
            mixed.addBodyPart(p);
        }
        return mixed;
    }

    private static String guess(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        int dot = n.lastIndexOf('.');
        String ext = dot < 0 ? "" : n.substring(dot + 1);
        switch (ext) {
            case "png": return "image/png";
            case "jpg": case "jpeg": return "image/jpeg";
            case "gif": return "image/gif";
            case "webp": return "image/webp";
            case "svg": return "image/svg+xml";
            case "pdf": return "application/pdf";
            case "txt": return "text/plain";
            case "html": case "htm": return "text/html";
            case "csv": return "text/csv";
            case "json": return "application/json";
            case "zip": return "application/zip";
            case "ics": return "text/calendar";
            default: return "application/octet-stream";
        }
    }

    private static InternetAddress[] addresses(Object v, String what, List<MailAddress> rcpts)
            throws UnsupportedEncodingException {
        if (v == null) {
            return new InternetAddress[0];
        }
        if (!(v instanceof List)) {
            throw new HttpException(400, what + " must be an array of {\"Email\": ..., \"Name\": ...}");
        }
        List<InternetAddress> out = new ArrayList<>();
        for (Object o : (List<?>) v) {
            if (!(o instanceof Map)) {
                throw new HttpException(400, what + " must be an array of {\"Email\": ..., \"Name\": ...}");
            }
            InternetAddress a = address((Map<?, ?>) o, what);
            MailAddress ma = parse(a.getAddress(), what);
            if (!rcpts.contains(ma)) {
                rcpts.add(ma);
            }
            out.add(a);
        }
        return out.toArray(new InternetAddress[0]);
    }

    private static InternetAddress address(Map<?, ?> m, String what) throws UnsupportedEncodingException {
        String email = line(m.get("Email"), what + ".Email");
        String name = line(m.get("Name"), what + ".Name");
        parse(email, what);
        return new InternetAddress(email, name.isEmpty() ? null : name, "UTF-8");
    }

    private static MailAddress parse(String a, String what) {
        try {
            return MailAddress.parse(a.trim());
        } catch (MailAddressException e) {
            throw new HttpException(400, what + ": not a mail address");
        }
    }

    private static String string(Object v, String what) {
        if (v == null) {
            return "";
        }
        if (!(v instanceof String)) {
            throw new HttpException(400, what + " must be a string");
        }
        return (String) v;
    }

    /**
     * A value that goes into a header field: no line breaks or other control characters (Jakarta Mail would keep
     * them as they are in a quoted display name, and a CR LF there would start a new field).
     */
    private static String line(Object v, String what) {
        String s = string(v, what);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                throw new HttpException(400, what + " must be one line without control characters");
            }
        }
        return s;
    }

    private static boolean token(String s) {
        if (s.isEmpty() || s.length() > 76) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                return false;
            }
        }
        return true;
    }
}
