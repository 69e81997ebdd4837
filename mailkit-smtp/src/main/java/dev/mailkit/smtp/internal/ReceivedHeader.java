package dev.mailkit.smtp.internal;

import dev.mailkit.core.MailAddress;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes mailkit's {@code Received:} trace header (RFC 5321 4.4, RFC 3848) without any DNS lookup. Every value that
 * came from the client (the HELO name) has been validated by then and cannot contain CR or LF; the header is folded.
 */
final class ReceivedHeader {
    private ReceivedHeader() {
    }

    static byte[] build(SessionState st, String hostName, String id, List<MailAddress> recipients,
                        String date) {
        StringBuilder sb = new StringBuilder(256);
        sb.append("Received: from ").append(st.heloName == null ? "unknown" : st.heloName)
                .append(" ([").append(st.clientAddress().getAddress().getHostAddress()).append("])\r\n")
                .append("\tby ").append(hostName).append(" (mailkit) with ").append(st.protocol())
                .append(" id ").append(id);
        if (st.tls != null) {
            sb.append("\r\n\t(using ").append(st.tls.protocol()).append(" with cipher ")
                    .append(st.tls.cipherSuite()).append(')');
        }
        if (recipients.size() == 1) {
            // naming the recipient only when there is one keeps BCC recipients private
            sb.append("\r\n\tfor <").append(recipients.get(0)).append('>');
        }
        sb.append(";\r\n\t").append(date).append("\r\n");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }
}
