package dev.mailkit.relay.internal;

import dev.mailkit.relay.spi.StateChange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * The disk queue's text form of a {@link StateChange}, one state record appended to a queue file (see
 * {@link QueueFile} for the framing), and how recorded changes are applied to a {@link StoredMessage} on recovery.
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

    /** The record of a change. */
    static String encode(StateChange c) {
        switch (c.kind()) {
            case DELIVERED:
                return delivered(c.index(), c.at(), c.reply());
            case BOUNCED:
                return bounced(c.index(), c.at(), c.status(), c.reply());
            case ATTEMPTED:
                return attempts(c.at(), c.attempts(), c.nextAttempt());
            case HELD:
                return held(c.at());
            default:
                return released(c.at());
        }
    }

    /** The records of changes. */
    static List<String> encode(List<StateChange> changes) {
        List<String> out = new ArrayList<>(changes.size());
        for (StateChange c : changes) {
            out.add(encode(c));
        }
        return out;
    }

    /** Whether the changes must be synced before going on: all but an attempt count are ({@link StateChange#durable()}). */
    static boolean needSync(List<StateChange> changes) {
        for (StateChange c : changes) {
            if (c.durable()) {
                return true;
            }
        }
        return false;
    }

    /** The changes recovered records stand for, oldest first; an unreadable record is skipped (and logged). */
    static List<StateChange> decode(String id, List<String> records) {
        List<StateChange> out = new ArrayList<>(records.size());
        for (String rec : records) {
            try {
                StateChange c = decode(rec);
                if (c != null) {
                    out.add(c);
                }
            } catch (RuntimeException e) {
                LOG.warn("{}: ignoring unreadable state record '{}'", id, rec);
            }
        }
        return out;
    }

    private static StateChange decode(String rec) {
        String[] f = rec.split(" ", 5);
        switch (f[0]) {
            case "D": {
                String[] g = rec.split(" ", 4);
                return StateChange.delivered(Integer.parseInt(g[1]), Long.parseLong(g[2]), g.length == 4 ? g[3] : "");
            }
            case "B":
                return StateChange.bounced(Integer.parseInt(f[1]), Long.parseLong(f[2]), f.length > 3 ? f[3] : "",
                        f.length == 5 ? f[4] : "");
            case "T":
                return StateChange.attempted(Long.parseLong(f[1]), Integer.parseInt(f[2]), Long.parseLong(f[3]));
            case "H":
                return StateChange.held(Long.parseLong(f[1]));
            case "U":
                return StateChange.released(Long.parseLong(f[1]));
            default:
                return null;
        }
    }

    /** Applies recorded changes, oldest first, to a recovered message. A change out of range is skipped. */
    static void apply(StoredMessage m, List<StateChange> changes) {
        for (StateChange c : changes) {
            switch (c.kind()) {
                case DELIVERED:
                case BOUNCED: {
                    int idx = c.index();
                    if (idx >= 0 && idx < m.states.length) {
                        m.states[idx] = c.kind() == StateChange.Kind.DELIVERED ? StoredMessage.State.DELIVERED
                                : StoredMessage.State.BOUNCED;
                        m.lastReply[idx] = c.reply() == null || c.reply().isEmpty() ? null : c.reply();
                    } else {
                        LOG.warn("{}: ignoring a result for recipient {} of {}", m.id, idx, m.states.length);
                    }
                    break;
                }
                case ATTEMPTED:
                    m.attempts = c.attempts();
                    m.nextAttempt = c.nextAttempt();
                    break;
                case HELD:
                    m.held = true;
                    break;
                case RELEASED:
                    m.held = false;
                    break;
                default:
                    break;
            }
        }
    }
}
