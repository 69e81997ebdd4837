package dev.mailkit.imap.internal.exec;

import dev.mailkit.core.MessageSource;
import dev.mailkit.imap.internal.command.BodySection;
import dev.mailkit.imap.internal.command.ImapUrl;
import dev.mailkit.imap.internal.encode.HeaderFieldFilter;
import dev.mailkit.imap.internal.encode.Sections;
import dev.mailkit.imap.internal.message.MimePart;
import dev.mailkit.imap.internal.protocol.ImapUrlParser;
import dev.mailkit.imap.internal.session.ImapSession;
import dev.mailkit.imap.internal.session.SelectedMailbox;
import dev.mailkit.imap.internal.store.StoreParts;
import dev.mailkit.store.MailStoreException;
import dev.mailkit.store.Mailbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;

/**
 * Resolves a CATENATE URL part (RFC 4469 3.1, RFC 5092) to the bytes it names and writes them: the same bytes a
 * {@code FETCH BODY.PEEK[section]<partial>} of that message returns. Only this server's mailboxes of the logged-in
 * user are reachable: an absolute URL must name the server's host name and the session's user, and URLAUTH URLs are
 * refused (this server does not issue them). A mailbox-relative URL ({@code ;UID=n}) names a message of the selected
 * mailbox. Every refusal is a {@link BadUrlException} whose message is the reason. One per APPEND.
 */
final class CatenateUrls {
    /** The URL cannot be used: {@code NO [BADURL url]} with the message as the reason. */
    static final class BadUrlException extends Exception {
        private static final long serialVersionUID = 1L;
        private final String url;

        BadUrlException(String message) {
            this(null, message);
        }

        BadUrlException(String url, String message) {
            super(message, null, false, false);
            this.url = url;
        }

        /**
         * The response code: {@code BADURL} and the URL as sent (RFC 4469 6, with erratum 4046: a bare URL), with
         * what cannot stand in a response code (controls, space, ']', non-ASCII) %-encoded.
         */
        String code() {
            StringBuilder sb = new StringBuilder("BADURL ");
            for (byte b : (url == null ? "" : url).getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
                int c = b & 0xFF;
                if (c > 0x20 && c < 0x7F && c != ']') {
                    sb.append((char) c);
                } else {
                    sb.append(String.format("%%%02X", c));
                }
            }
            return sb.toString();
        }
    }

    private final ImapSession s;

    CatenateUrls(ImapSession s) {
        this.s = s;
    }

    /** Writes the bytes the URL names to {@code out}. */
    void write(String raw, OutputStream out) throws BadUrlException, IOException {
        try {
            write0(raw, out);
        } catch (BadUrlException e) {
            throw new BadUrlException(raw, e.getMessage());
        }
    }

    private void write0(String raw, OutputStream out) throws BadUrlException, IOException {
        ImapUrl url;
        try {
            url = ImapUrlParser.parse(raw);
        } catch (ImapUrlParser.InvalidUrlException e) {
            throw new BadUrlException("Invalid IMAP URL: " + e.getMessage());
        }
        checkOwner(url);
        SelectedMailbox selected = s.selected();
        if (url.mailbox() == null) {
            if (selected == null) {
                throw new BadUrlException("Mailbox-relative IMAP URL, but no mailbox selected");
            }
            copy(selected.mailbox(), url, out);
            return;
        }
        String name = url.mailbox().equalsIgnoreCase("INBOX") ? "INBOX" : url.mailbox();
        Mailbox mailbox;
        try {
            mailbox = s.account().open(MailboxNames.of(name));
        } catch (MailStoreException e) {
            if (e.reason() == MailStoreException.Reason.NOT_FOUND
                    || e.reason() == MailStoreException.Reason.INVALID_NAME) {
                throw new BadUrlException("Mailbox doesn't exist: " + name);
            }
            throw e;
        }
        try (mailbox) {
            copy(mailbox, url, out);
        }
    }

    private void checkOwner(ImapUrl url) throws BadUrlException {
        if (url.urlAuth()) {
            throw new BadUrlException("Invalid IMAP URL: URLAUTH is not allowed here (this server issues none)");
        }
        if (url.host() == null) {
            return;
        }
        if (!url.host().equalsIgnoreCase(s.config().hostName())) {
            throw new BadUrlException("URL names another server (" + url.host() + "); only this server's ("
                    + s.config().hostName() + ") messages can be catenated");
        }
        if (url.user() != null && !url.user().equalsIgnoreCase(s.user().username())) {
            throw new BadUrlException("URL names another user's mailbox; only the logged-in user's can be read");
        }
    }

    private static void copy(Mailbox mailbox, ImapUrl url, OutputStream out) throws BadUrlException, IOException {
        if (url.uidValidity() != 0 && url.uidValidity() != mailbox.uidValidity()) {
            throw new BadUrlException("Invalid UIDVALIDITY");
        }
        Optional<MessageSource> found = mailbox.content(url.uid());
        if (found.isEmpty()) {
            throw new BadUrlException("Message not found");
        }
        try (MessageSource content = found.get()) {
            BodySection section = url.section();
            Sections.Range range = new Sections.Range(0, content.size());
            MimePart root = null;
            if (!section.part().isEmpty() || section.text() != BodySection.Text.NONE) {
                root = StoreParts.root(mailbox.structure(url.uid())
                        .orElseThrow(() -> new BadUrlException("Message not found")));
                range = Sections.range(root, content.size(), section);
                if (range == null || Sections.part(root, section.part()) == null) {
                    throw new BadUrlException("Message has no section " + sectionName(section));
                }
            }
            long start = Math.max(0, range.start());
            long end = Math.min(content.size(), range.end());
            long from = Math.max(0, section.partialOffset());
            long length = section.partialOffset() < 0 ? Long.MAX_VALUE : section.partialLength();
            OutputStream window = new Window(out, from, length);
            try (InputStream in = content.openStream()) {
                in.skipNBytes(start);
                if (section.text() == BodySection.Text.HEADER_FIELDS
                        || section.text() == BodySection.Text.HEADER_FIELDS_NOT) {
                    HeaderFieldFilter.filter(in, end - start, section.fields(),
                            section.text() == BodySection.Text.HEADER_FIELDS_NOT, window);
                } else {
                    copyRange(in, end - start, window);
                }
            }
        }
    }

    private static String sectionName(BodySection section) {
        String n = section.responseName();
        return n.substring(n.indexOf('[') + 1, n.lastIndexOf(']'));
    }

    private static void copyRange(InputStream in, long length, OutputStream out) throws IOException {
        byte[] buf = new byte[(int) Math.min(64 * 1024, Math.max(1, length))];
        long left = length;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                throw new IOException("message content shorter than its structure says");
            }
            out.write(buf, 0, n);
            left -= n;
        }
    }

    /** Passes on bytes [from, from + length) of what is written to it (;PARTIAL=from.length). */
    private static final class Window extends OutputStream {
        private final OutputStream out;
        private final long from;
        private final long to;
        private long pos;

        Window(OutputStream out, long from, long length) {
            this.out = out;
            this.from = from;
            this.to = length > Long.MAX_VALUE - from ? Long.MAX_VALUE : from + length;
        }

        @Override
        public void write(int b) throws IOException {
            if (pos >= from && pos < to) {
                out.write(b);
            }
            pos++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            long st = Math.max(pos, from);
            long e = Math.min(pos + len, to);
            if (st < e) {
                out.write(b, off + (int) (st - pos), (int) (e - st));
            }
            pos += len;
        }
    }
}
