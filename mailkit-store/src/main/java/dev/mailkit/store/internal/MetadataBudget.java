package dev.mailkit.store.internal;

import dev.mailkit.store.MetadataException;
import dev.mailkit.store.MetadataLimits;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The check every store makes before a metadata change: would it go over the account's {@link MetadataLimits}? An
 * entry costs its name's and its value's octets. Stateless.
 */
public final class MetadataBudget {
    private MetadataBudget() {
    }

    /** What one entry costs against {@link MetadataLimits#maxTotalBytes()}. */
    public static long cost(String entry, byte[] value) {
        return entry.getBytes(StandardCharsets.UTF_8).length + (long) value.length;
    }

    /**
     * Fails if the change would go over a limit.
     *
     * @param entries  how many entries the account has now
     * @param bytes    what they cost now
     * @param changes  entry to new value (null: removed)
     * @param existing entry to its current value, for the changed entries that exist now
     * @throws MetadataException if it would
     */
    public static void check(MetadataLimits limits, long entries, long bytes, Map<String, byte[]> changes,
                             Map<String, byte[]> existing) {
        for (Map.Entry<String, byte[]> c : changes.entrySet()) {
            if (c.getValue() != null && c.getValue().length > limits.maxValueBytes()) {
                throw new MetadataException(MetadataException.Kind.TOO_BIG, limits.maxValueBytes(), "the value of "
                        + c.getKey() + " has " + c.getValue().length + " octets, more than the "
                        + limits.maxValueBytes() + " allowed");
            }
        }
        long n = entries;
        long b = bytes;
        for (Map.Entry<String, byte[]> c : changes.entrySet()) {
            byte[] old = existing.get(c.getKey());
            if (old != null) {
                n--;
                b -= cost(c.getKey(), old);
            }
            if (c.getValue() != null) {
                n++;
                b += cost(c.getKey(), c.getValue());
            }
        }
        if (n > entries && n > limits.maxEntries()) {
            throw new MetadataException(MetadataException.Kind.TOO_MANY, 0, "the account would have " + n
                    + " metadata entries, more than the " + limits.maxEntries() + " allowed; remove some first");
        }
        if (b > bytes && b > limits.maxTotalBytes()) {
            throw new MetadataException(MetadataException.Kind.TOO_MANY, 0, "the account's metadata would take "
                    + b + " octets, more than the " + limits.maxTotalBytes() + " allowed; remove some first");
        }
    }
}
