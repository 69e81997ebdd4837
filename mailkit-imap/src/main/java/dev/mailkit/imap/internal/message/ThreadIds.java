package dev.mailkit.imap.internal.message;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * THREADID (RFC 8474 5.2) from a message's own header, so that it needs no thread table and is the same in every
 * store and on every node: the thread's root is the first message identifier of {@code References} (the start of
 * the conversation, RFC 5322 3.6.4), else the one of {@code In-Reply-To}, else the message's own
 * {@code Message-ID}; the THREADID is {@code T} and the first 128 bits of the SHA-256 of that identifier, in hex.
 * Replies whose References reach back to the same first message share a THREADID; a message with none of these
 * fields is a thread of its own ({@code T} and its EMAILID's digest). Stateless.
 */
public final class ThreadIds {
    private ThreadIds() {
    }

    /**
     * The THREADID.
     *
     * @param references the References field, or null
     * @param inReplyTo  the In-Reply-To field, or null
     * @param messageId  the Message-ID field, or null
     * @param emailId    the message's EMAILID, for a message with no identifiers
     */
    public static String of(String references, String inReplyTo, String messageId, String emailId) {
        String root = firstId(references);
        if (root == null) {
            root = firstId(inReplyTo);
        }
        if (root == null) {
            root = firstId(messageId);
        }
        if (root == null) {
            return emailId == null ? null : "T" + emailId.substring(1);
        }
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(root.getBytes(StandardCharsets.UTF_8));
            return "T" + HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** The first {@code <...>} of a field (without the brackets, white space removed), or null. */
    static String firstId(String field) {
        if (field == null) {
            return null;
        }
        int open = field.indexOf('<');
        if (open < 0) {
            return null;
        }
        int close = field.indexOf('>', open + 1);
        if (close < 0) {
            return null;
        }
        StringBuilder id = new StringBuilder(close - open);
        for (int i = open + 1; i < close; i++) {
            char c = field.charAt(i);
            if (c > ' ') {
                id.append(c);
            }
        }
        return id.length() == 0 ? null : id.toString();
    }
}
