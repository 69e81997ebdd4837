package dev.mailkit.smtp.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * The SMTP conversation of one session, line by line ({@code C: } client, {@code S: } server), bounded in size.
 * Message content is not recorded, and AUTH credentials are masked. A disabled transcript records nothing.
 * Not thread-safe: written by the session's own thread.
 */
public final class Transcript {
    private static final int MAX_LINES = 500;
    private static final int MAX_LINE = 300;
    private static final Transcript DISABLED = new Transcript(false);

    private final boolean enabled;
    private final List<String> lines;
    private int dropped;

    private Transcript(boolean enabled) {
        this.enabled = enabled;
        this.lines = enabled ? new ArrayList<>() : List.of();
    }

    /** A recording transcript, or the shared no-op one. */
    public static Transcript create(boolean enabled) {
        return enabled ? new Transcript(true) : DISABLED;
    }

    /** Records a command line from the client. */
    public void client(String line) {
        if (enabled) {
            add("C: " + line);
        }
    }

    /** Records a reply (may hold several CRLF-separated lines). */
    public void server(String reply) {
        if (enabled) {
            for (String l : reply.split("\r\n")) {
                if (!l.isEmpty()) {
                    add("S: " + l);
                }
            }
        }
    }

    /** Records a note, such as the size of message content. */
    public void note(String text) {
        if (enabled) {
            add("   " + text);
        }
    }

    private void add(String l) {
        if (lines.size() >= MAX_LINES) {
            dropped++;
            return;
        }
        StringBuilder sb = new StringBuilder(Math.min(l.length(), MAX_LINE + 3));
        for (int i = 0; i < l.length() && i < MAX_LINE; i++) {
            char c = l.charAt(i);
            sb.append(c < 32 && c != '\t' ? '?' : c);
        }
        if (l.length() > MAX_LINE) {
            sb.append("...");
        }
        lines.add(sb.toString());
    }

    /** The lines so far. */
    public List<String> lines() {
        List<String> out = new ArrayList<>(lines);
        if (dropped > 0) {
            out.add("   (" + dropped + " more lines not recorded)");
        }
        return out;
    }
}
