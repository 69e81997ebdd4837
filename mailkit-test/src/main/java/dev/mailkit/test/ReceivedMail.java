package dev.mailkit.test;

import dev.mailkit.core.Envelope;
import dev.mailkit.core.MailAddress;
import dev.mailkit.core.MessageSource;
import jakarta.mail.Address;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * One message a test mail server received: one SMTP transaction with its whole envelope (every recipient, BCC
 * included), the exact bytes (with the server's {@code Received:} header on top), a parsed view, and the SMTP
 * transcript of the session up to the end of the message.
 *
 * <p>The accessors decode for you: {@link #subject()} decodes RFC 2047 words, {@link #text()} and {@link #html()}
 * return the decoded bodies of the first text/plain and text/html parts, {@link #attachments()} lists the parts
 * that are attachments. Immutable and thread-safe.
 */
public final class ReceivedMail {
    private final Envelope envelope;
    private final MessageSource source;
    private final List<String> transcript;
    private volatile Parts parts;

    /** Creates the record (the test server does this). */
    public ReceivedMail(Envelope envelope, MessageSource source, List<String> transcript) {
        this.envelope = envelope;
        this.source = source;
        this.transcript = List.copyOf(transcript);
    }

    /** The SMTP envelope. */
    public Envelope envelope() {
        return envelope;
    }

    /** The reverse-path (MAIL FROM), empty for {@code <>}. */
    public Optional<MailAddress> sender() {
        return envelope.reversePath();
    }

    /** Every recipient of the transaction (RCPT TO), BCC recipients included. */
    public List<MailAddress> recipients() {
        return envelope.recipients();
    }

    /** Whether the envelope names this recipient (case-insensitive domain). */
    public boolean hasRecipient(String address) {
        return envelope.recipients().contains(MailAddress.parse(address));
    }

    /** When the server accepted the message. */
    public Instant receivedAt() {
        return envelope.receivedAt();
    }

    /** The message bytes as a source (streams, parsed view). */
    public MessageSource source() {
        return source;
    }

    /** The message bytes. */
    public byte[] raw() {
        return source.toByteArray();
    }

    /** The message as text (UTF-8). */
    public String rawText() {
        return source.asString();
    }

    /** The parsed message (lazily parsed; treat as read-only). */
    public MimeMessage message() {
        return source.mimeMessage();
    }

    /** The SMTP conversation of the session up to this message (commands and replies; no content, no passwords). */
    public List<String> transcript() {
        return transcript;
    }

    /** The decoded Subject, or null. */
    public String subject() {
        return call(() -> message().getSubject());
    }

    /**
     * The From addresses for people to read: the display name decoded (RFC 2047 or raw UTF-8) and without quotes, then
     * the address, e.g. {@code Bäckerei Müller <shop@example.test>}; a bare address when there is no name.
     */
    public List<String> from() {
        return call(() -> addresses(message().getFrom()));
    }

    /** The To header addresses, in the form {@link #from()} gives. */
    public List<String> to() {
        return call(() -> addresses(message().getRecipients(jakarta.mail.Message.RecipientType.TO)));
    }

    /** The Cc header addresses, in the form {@link #from()} gives. */
    public List<String> cc() {
        return call(() -> addresses(message().getRecipients(jakarta.mail.Message.RecipientType.CC)));
    }

    /** The values of a header field (decoded), in order; empty if absent. */
    public List<String> header(String name) {
        return call(() -> {
            String[] values = message().getHeader(name);
            List<String> out = new ArrayList<>();
            if (values != null) {
                for (String v : values) {
                    out.add(MimeUtility.decodeText(MimeUtility.unfold(v)));
                }
            }
            return out;
        });
    }

    /** The first value of a header field, or null. */
    public String firstHeader(String name) {
        List<String> v = header(name);
        return v.isEmpty() ? null : v.get(0);
    }

    /** The decoded text of the first text/plain part that is not an attachment, or null. */
    public String text() {
        return parts().text;
    }

    /** The decoded text of the first text/html part that is not an attachment, or null. */
    public String html() {
        return parts().html;
    }

    /** The attachments: parts with a {@code Content-Disposition: attachment} or a file name. */
    public List<Attachment> attachments() {
        return parts().attachments;
    }

    /** The message's size in octets, as received. */
    public long size() {
        return source.size();
    }

    @Override
    public String toString() {
        String s;
        try {
            s = subject();
        } catch (RuntimeException e) {
            s = "?";
        }
        return "from " + envelope.reversePathString() + " to " + envelope.recipients() + ", subject \"" + s + "\", "
                + source.size() + " bytes";
    }

    private Parts parts() {
        Parts p = parts;
        if (p == null) {
            p = call(() -> {
                Parts out = new Parts();
                walk(message(), out, 0);
                return out;
            });
            parts = p;
        }
        return p;
    }

    private static void walk(Part part, Parts out, int depth) throws MessagingException, IOException {
        if (depth > 50) {
            return;
        }
        String disposition = part.getDisposition();
        String fileName = fileName(part);
        if (part.isMimeType("multipart/*")) {
            Multipart mp = (Multipart) part.getContent();
            for (int i = 0; i < mp.getCount(); i++) {
                BodyPart child = mp.getBodyPart(i);
                walk(child, out, depth + 1);
            }
            return;
        }
        boolean attachment = Part.ATTACHMENT.equalsIgnoreCase(disposition) || fileName != null;
        if (!attachment && part.isMimeType("text/plain") && out.text == null) {
            out.text = decodeText(part);
        } else if (!attachment && part.isMimeType("text/html") && out.html == null) {
            out.html = decodeText(part);
        } else if (attachment) {
            byte[] data;
            try (InputStream in = part.getInputStream()) {
                data = in.readAllBytes();
            }
            String type = part.getContentType();
            int semi = type == null ? -1 : type.indexOf(';');
            out.attachments.add(new Attachment(fileName, semi < 0 ? type : type.substring(0, semi).trim(), data));
        }
    }

    private static String fileName(Part part) throws MessagingException {
        try {
            String f = part.getFileName();
            return f == null ? null : MimeUtility.decodeText(f);
        } catch (java.io.UnsupportedEncodingException e) {
            return part.getFileName();
        }
    }

    private static String decodeText(Part part) throws MessagingException, IOException {
        Object content = part.getContent();
        if (content instanceof String) {
            return (String) content;
        }
        try (InputStream in = part.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static List<String> addresses(Address[] a) {
        List<String> out = new ArrayList<>();
        if (a != null) {
            for (Address x : a) {
                out.add(x instanceof InternetAddress ? display((InternetAddress) x) : x.toString());
            }
        }
        return out;
    }

    /**
     * {@code Name <address>} with the display name decoded and unquoted ({@code Bäckerei Müller <shop@example.test>}),
     * or the bare address: as a person reads it, not re-encoded as Jakarta Mail would write it (which adds quotes
     * around any name with non-ASCII letters).
     */
    private static String display(InternetAddress a) {
        String name = a.getPersonal();
        return name == null || name.isEmpty() ? a.getAddress() : name + " <" + a.getAddress() + ">";
    }

    private interface Call<T> {
        T get() throws MessagingException, IOException;
    }

    private static <T> T call(Call<T> c) {
        try {
            return c.get();
        } catch (MessagingException e) {
            throw new IllegalStateException("cannot parse the received message: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the received message: " + e.getMessage(), e);
        }
    }

    private static final class Parts {
        String text;
        String html;
        final List<Attachment> attachments = new ArrayList<>();
    }

    /** An attachment: its file name (may be null), content type and decoded bytes. Immutable. */
    public static final class Attachment {
        private final String fileName;
        private final String contentType;
        private final byte[] data;

        Attachment(String fileName, String contentType, byte[] data) {
            this.fileName = fileName;
            this.contentType = contentType;
            this.data = data;
        }

        /** The file name, decoded, or null. */
        public String fileName() {
            return fileName;
        }

        /** The content type without parameters, e.g. {@code application/pdf}. */
        public String contentType() {
            return contentType;
        }

        /** The decoded content. */
        public byte[] data() {
            return Arrays.copyOf(data, data.length);
        }

        /** The size of the decoded content. */
        public int size() {
            return data.length;
        }

        @Override
        public String toString() {
            return (fileName == null ? "(no name)" : fileName) + " " + contentType + " " + data.length + " bytes";
        }
    }
}
