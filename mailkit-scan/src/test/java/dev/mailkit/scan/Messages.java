package dev.mailkit.scan;

import dev.mailkit.core.Envelope;
import dev.mailkit.core.MailAddress;
import dev.mailkit.core.MessageSource;
import dev.mailkit.scan.daemons.Clamd;
import dev.mailkit.scan.daemons.Spamd;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Test messages and envelopes. */
final class Messages {
    private Messages() {
    }

    static String header(String subject) {
        return "Received: from client.test ([127.0.0.1]) by mx.local.test with ESMTP id T1; Mon, 7 Dec 2026 "
                + "10:00:00 +0000\r\nFrom: Sender <sender@example.test>\r\nTo: rcpt@local.test\r\nSubject: " + subject
                + "\r\nDate: Mon, 7 Dec 2026 10:00:00 +0000\r\nMessage-ID: <" + Math.abs(subject.hashCode())
                + "." + System.nanoTime() + "@example.test>\r\nMIME-Version: 1.0\r\n";
    }

    static MessageSource clean() {
        return MessageSource.ofText(header("Lunch on Friday") + "Content-Type: text/plain\r\n\r\n"
                + "Shall we meet at noon at the usual place? Bring the report if you can.\r\n");
    }

    static MessageSource text(String subject, String body) {
        return MessageSource.ofText(header(subject) + "Content-Type: text/plain\r\n\r\n" + body + "\r\n");
    }

    static MessageSource gtube() {
        return text("Test spam mail (GTUBE)", "This is the GTUBE, the\r\n\tGeneric\r\n\tTest for\r\n\tUnsolicited\r\n"
                + "\tBulk\r\n\tEmail\r\n\r\n" + Spamd.GTUBE);
    }

    /** EICAR as a base64 attachment inside a multipart message. */
    static MessageSource eicar() {
        String b64 = Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(Clamd.EICAR.getBytes(StandardCharsets.US_ASCII));
        return MessageSource.ofText(header("The invoice you asked for")
                + "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n"
                + "--b1\r\nContent-Type: text/plain\r\n\r\nPlease find the invoice attached.\r\n"
                + "--b1\r\nContent-Type: application/octet-stream; name=\"invoice.com\"\r\n"
                + "Content-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=\"invoice.com\"\r\n\r\n"
                + b64 + "\r\n--b1--\r\n");
    }

    static Envelope envelope(String... recipients) {
        Envelope.Builder b = Envelope.builder().reversePath("sender@example.test").heloName("client.test")
                .clientAddress(new InetSocketAddress("127.0.0.1", 40000)).transactionId("T1").sessionId("S1");
        for (String r : recipients.length == 0 ? new String[] {"rcpt@local.test"} : recipients) {
            b.recipient(MailAddress.parse(r));
        }
        return b.build();
    }
}
