package dev.mailkit.relay.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * The text of the state records appended to a queue file (see {@link QueueFile} for the framing): written when an
 * outcome is recorded or a message is held or released, read back into a {@link StoredMessage} on recovery.
 * <ul>
 *   <li>{@code D idx millis reply}: the recipient was delivered;</li>
 *   <li>{@code B idx millis status reply}: the recipient bounced (its DSN already queued);</li>
 *   <li>{@code T millis attempts next}: the attempts so far and the next one (not synced);</li>
 *   <li>{@code H millis} / {@code U millis}: held / released.</li>
 * </ul>
 */
final class StateRecords {
    private static final Logger LOG = LoggerFactory.getLogger("dev.mailkit.relay");

    private StateRecords() {
    }

    static String delivered(int index, long millis, String reply) {
        return "D " + index + " " + millis + " " + reply;
    }

    static String bounced(int index, long millis, String status, String reply) {
        return "B " + index + " " + millis + " " + status + " " + reply;
    }

    static String attempts(long millis, int attempts, long next) {
        return "T " + millis + " " + attempts + " " + next;
    }

    static String held(long millis) {
        return "H " + millis;
    }

    static String released(long millis) {
        return "U " + millis;
    }

    /** Whether the records must be synced before going on: a delivery or a bounce is. */
    static boolean needSync(List<String> records) {
        for (String r : records) {
            if (r.startsWith("D") || r.startsWith("B")) {
                return true;
            }
        }
        return false;
    }

    /** Applies recovered records, oldest first, to a message read from disk. An unreadable record is skipped. */
    static void apply(StoredMessage m, List<String> records) {
        for (String rec : records) {
            String[] f = rec.split(" ", 5);
            try {
                switch (f[0]) {
                    case "D":
                    case "B": {
                        int idx = Integer.parseInt(f[1]);
                        if (idx >= 0 && idx < m.states.length) {
                            boolean delivered = f[0].equals("D");
                            m.states[idx] = delivered ? StoredMessage.State.DELIVERED : StoredMessage.State.BOUNCED;
                            String[] g = rec.split(" ", delivered ? 4 : 5);
                            m.lastReply[idx] = g.length == (delivered ? 4 : 5) ? g[g.length - 1] : null;
                        }
                        break;
                    }
                    case "T":
                        m.attempts = Integer.parseInt(f[2]);
                        m.nextAttempt = Long.parseLong(f[3]);
                        break;
                    case "H":
                        m.held = true;
                        break;
                    case "U":
                        m.held = false;
                        break;
                    default:
                        break;
                }
            } catch (RuntimeException e) {
                LOG.warn("{}: ignoring unreadable state record '{}'", m.id, rec);
            }
        }
    }
}
