package dev.mailkit.test.assertj;

import dev.mailkit.core.MailAddress;
import dev.mailkit.test.ReceivedMail;
import dev.mailkit.test.internal.DkimCheck;
import org.assertj.core.api.AbstractAssert;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * AssertJ assertions about a {@link ReceivedMail}. Failure messages show the expected and actual values and which
 * message it was (sender, recipients, subject). Envelope assertions ({@code hasRecipient}, {@code hasSender}) look at
 * the SMTP envelope, so BCC recipients count; header assertions ({@code hasTo}, {@code hasFrom}) look at the message.
 */
public final class ReceivedMailAssert extends AbstractAssert<ReceivedMailAssert, ReceivedMail> {
    ReceivedMailAssert(ReceivedMail actual) {
        super(actual, ReceivedMailAssert.class);
    }

    private String which() {
        return "\nin message " + actual;
    }

    /** The Subject (decoded) equals the text. */
    public ReceivedMailAssert hasSubject(String expected) {
        isNotNull();
        String s = actual.subject();
        if (!expected.equals(s)) {
            failWithMessage("Expecting subject%n  \"%s\"%nbut was%n  \"%s\"%s", expected, s, which());
        }
        return this;
    }

    /** The Subject (decoded) contains the text. */
    public ReceivedMailAssert hasSubjectContaining(String part) {
        isNotNull();
        String s = actual.subject();
        if (s == null || !s.contains(part)) {
            failWithMessage("Expecting subject to contain%n  \"%s\"%nbut was%n  \"%s\"%s", part, s, which());
        }
        return this;
    }

    /** The envelope names this recipient (RCPT TO; BCC recipients included). */
    public ReceivedMailAssert hasRecipient(String address) {
        isNotNull();
        if (!actual.hasRecipient(address)) {
            failWithMessage("Expecting envelope recipient <%s> but the recipients were %s%s", address,
                    actual.recipients(), which());
        }
        return this;
    }

    /** The envelope names exactly these recipients, in any order. */
    public ReceivedMailAssert hasOnlyRecipients(String... addresses) {
        isNotNull();
        List<MailAddress> expected = new ArrayList<>();
        for (String a : addresses) {
            expected.add(MailAddress.parse(a));
        }
        if (!(expected.containsAll(actual.recipients()) && actual.recipients().containsAll(expected)
                && expected.size() == actual.recipients().size())) {
            failWithMessage("Expecting exactly the envelope recipients %s but they were %s%s", expected,
                    actual.recipients(), which());
        }
        return this;
    }

    /** The envelope's reverse-path (MAIL FROM) is this address. */
    public ReceivedMailAssert hasSender(String address) {
        isNotNull();
        MailAddress expected = MailAddress.parse(address);
        if (!actual.sender().map(expected::equals).orElse(false)) {
            failWithMessage("Expecting envelope sender <%s> but it was %s%s", address,
                    actual.envelope().reversePathString(), which());
        }
        return this;
    }

    /** The From header has this address (bare, or with a display name: {@code Shop <shop@x.test>}). */
    public ReceivedMailAssert hasFrom(String address) {
        isNotNull();
        return headerAddress("From", actual.from(), address);
    }

    /** The To header has this address. */
    public ReceivedMailAssert hasTo(String address) {
        isNotNull();
        return headerAddress("To", actual.to(), address);
    }

    /** The Cc header has this address. */
    public ReceivedMailAssert hasCc(String address) {
        isNotNull();
        return headerAddress("Cc", actual.cc(), address);
    }

    private ReceivedMailAssert headerAddress(String header, List<String> values, String address) {
        String want = address.toLowerCase(Locale.ROOT);
        for (String v : values) {
            String l = v.toLowerCase(Locale.ROOT);
            if (l.equals(want) || l.endsWith("<" + want + ">")) {
                return this;
            }
        }
        failWithMessage("Expecting %s header to name <%s> but it was %s%s", header, address, values, which());
        return this;
    }

    /** The message has the header field. */
    public ReceivedMailAssert hasHeader(String name) {
        isNotNull();
        if (actual.header(name).isEmpty()) {
            failWithMessage("Expecting a %s header field but there was none%s", name, which());
        }
        return this;
    }

    /** The header field has this (decoded) value. */
    public ReceivedMailAssert hasHeader(String name, String value) {
        isNotNull();
        List<String> values = actual.header(name);
        if (!values.contains(value)) {
            failWithMessage("Expecting header %s: \"%s\" but its values were %s%s", name, value, values, which());
        }
        return this;
    }

    /** The text/plain or text/html body (decoded) contains the text. */
    public ReceivedMailAssert bodyContains(String part) {
        isNotNull();
        String text = actual.text();
        String html = actual.html();
        if ((text == null || !text.contains(part)) && (html == null || !html.contains(part))) {
            failWithMessage("Expecting the body to contain%n  \"%s\"%nbut the text part was%n  %s%nand the HTML part%n  %s%s",
                    part, quote(text), quote(html), which());
        }
        return this;
    }

    /** The text/plain body (decoded) contains the text. */
    public ReceivedMailAssert textContains(String part) {
        isNotNull();
        String text = actual.text();
        if (text == null || !text.contains(part)) {
            failWithMessage("Expecting the text part to contain%n  \"%s\"%nbut it was%n  %s%s", part, quote(text), which());
        }
        return this;
    }

    /** The text/html body (decoded) contains the text. */
    public ReceivedMailAssert htmlContains(String part) {
        isNotNull();
        String html = actual.html();
        if (html == null || !html.contains(part)) {
            failWithMessage("Expecting the HTML part to contain%n  \"%s\"%nbut it was%n  %s%s", part, quote(html), which());
        }
        return this;
    }

    /** The message has this many attachments. */
    public ReceivedMailAssert hasAttachmentCount(int n) {
        isNotNull();
        if (actual.attachments().size() != n) {
            failWithMessage("Expecting %d attachments but there were %d: %s%s", n, actual.attachments().size(),
                    actual.attachments(), which());
        }
        return this;
    }

    /** The message has an attachment with this file name. */
    public ReceivedMailAssert hasAttachment(String fileName) {
        isNotNull();
        for (ReceivedMail.Attachment a : actual.attachments()) {
            if (fileName.equals(a.fileName())) {
                return this;
            }
        }
        failWithMessage("Expecting an attachment named \"%s\" but the attachments were %s%s", fileName,
                actual.attachments(), which());
        return this;
    }

    /**
     * The message carries a DKIM signature of the domain that verifies (RFC 6376) with the given public key: the key
     * record as it is published in DNS, such as {@code DkimSigner.dnsRecord()} or the {@code .txt} file that
     * {@code opendkim-genkey} writes ({@code v=DKIM1; k=rsa; p=MIIB...}). Nothing is asked of DNS. Needs
     * {@code dev.mailkit:mailkit-mailauth} on the test class path (an optional dependency of mailkit-test).
     */
    public ReceivedMailAssert isDkimSignedBy(String domain, String publicKeyRecord) {
        isNotNull();
        String why;
        try {
            why = DkimCheck.failure(actual.source(), domain, publicKeyRecord);
        } catch (NoClassDefFoundError e) {
            throw new AssertionError("isDkimSignedBy verifies signatures with mailkit-mailauth: add the dependency "
                    + "dev.mailkit:mailkit-mailauth (test scope) to use it", e);
        } catch (java.io.IOException e) {
            why = "the message could not be read: " + e.getMessage();
        }
        if (why != null) {
            failWithMessage("Expecting a DKIM signature of %s that verifies with the given key, but %s%s", domain, why,
                    which());
        }
        return this;
    }

    /** The top-level Content-Transfer-Encoding (or, for a multipart message, that of the text part) is this one. */
    public ReceivedMailAssert hasTransferEncoding(String encoding) {
        isNotNull();
        List<String> found = new ArrayList<>(actual.header("Content-Transfer-Encoding"));
        if (found.stream().noneMatch(e -> e.equalsIgnoreCase(encoding))) {
            String raw = actual.rawText();
            if (!raw.toLowerCase(Locale.ROOT).contains("content-transfer-encoding: " + encoding.toLowerCase(Locale.ROOT))) {
                failWithMessage("Expecting Content-Transfer-Encoding %s but found %s%s", encoding, found, which());
            }
        }
        return this;
    }

    private static String quote(String s) {
        return s == null ? "(none)" : "\"" + (s.length() > 500 ? s.substring(0, 500) + "..." : s) + "\"";
    }
}
