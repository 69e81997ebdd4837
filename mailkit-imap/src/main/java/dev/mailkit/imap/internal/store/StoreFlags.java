package dev.mailkit.imap.internal.store;

import dev.mailkit.imap.internal.message.MessageFlags;
import dev.mailkit.store.Flags;
import dev.mailkit.store.SystemFlag;

/** Converts between the store's {@link Flags} and the protocol's {@link MessageFlags}. Stateless. */
public final class StoreFlags {
    private static final int[] BIT = new int[SystemFlag.values().length];

    static {
        for (SystemFlag f : SystemFlag.values()) {
            BIT[f.ordinal()] = switch (f) {
                case SEEN -> MessageFlags.SEEN;
                case ANSWERED -> MessageFlags.ANSWERED;
                case FLAGGED -> MessageFlags.FLAGGED;
                case DELETED -> MessageFlags.DELETED;
                case DRAFT -> MessageFlags.DRAFT;
            };
        }
    }

    private StoreFlags() {
    }

    /** The store's flags as the protocol shows them, with \Recent added when {@code recent}. */
    public static MessageFlags toImap(Flags f, boolean recent) {
        int bits = 0;
        int s = f.systemBits();
        for (SystemFlag x : SystemFlag.values()) {
            if ((s & (1 << x.ordinal())) != 0) {
                bits |= BIT[x.ordinal()];
            }
        }
        if (recent) {
            bits |= MessageFlags.RECENT;
        }
        return MessageFlags.ofDistinct(bits, f.keywords());
    }

    /** The protocol's flags (without \Recent) as the store takes them. */
    public static Flags toStore(MessageFlags f) {
        int bits = 0;
        for (SystemFlag x : SystemFlag.values()) {
            if (f.has(BIT[x.ordinal()])) {
                bits |= 1 << x.ordinal();
            }
        }
        return Flags.ofBits(bits, f.keywords());
    }
}
