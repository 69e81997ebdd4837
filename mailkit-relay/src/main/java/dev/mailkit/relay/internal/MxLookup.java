package dev.mailkit.relay.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The answer to "where does mail for this domain go?" (RFC 5321 5.1): the MX records, or one of the answers that
 * mean something else. A temporary DNS failure is not an answer: {@link RelayResolver#mx} throws instead. Immutable.
 */
final class MxLookup {
    /** What kind of answer this is. */
    public enum Kind {
        /** The domain has MX records ({@link #hosts()}). */
        RECORDS,
        /** The domain exists but has no MX records: mail goes to its own A/AAAA addresses (the implicit MX). */
        NO_RECORDS,
        /** The domain does not exist (NXDOMAIN): mail for it bounces. */
        NO_SUCH_DOMAIN,
        /** The domain publishes a null MX ({@code MX 0 .}, RFC 7505): it accepts no mail; mail for it bounces. */
        NULL_MX
    }

    /** One MX record: a preference (lower is preferred) and a host name. */
    public static final class Host {
        private final int preference;
        private final String name;

        private Host(int preference, String name) {
            this.preference = preference;
            this.name = name;
        }

        /**
         * An MX host.
         *
         * @throws IllegalArgumentException if the preference is outside 0..65535 or the name is empty
         */
        public static Host of(int preference, String name) {
            Objects.requireNonNull(name, "name");
            if (preference < 0 || preference > 65535) {
                throw new IllegalArgumentException("MX preference must be 0..65535, was " + preference);
            }
            String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
            if (n.isEmpty()) {
                throw new IllegalArgumentException("an MX host name must not be empty (a null MX is MxLookup.nullMx())");
            }
            return new Host(preference, n.toLowerCase(Locale.ROOT));
        }

        /** The preference (lower is tried first). */
        public int preference() {
            return preference;
        }

        /** The host name, lower case, without a trailing dot. */
        public String name() {
            return name;
        }

        @Override
        public String toString() {
            return preference + " " + name;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Host && ((Host) o).preference == preference && ((Host) o).name.equals(name);
        }

        @Override
        public int hashCode() {
            return 31 * preference + name.hashCode();
        }
    }

    private static final MxLookup NONE = new MxLookup(Kind.NO_RECORDS, List.of());
    private static final MxLookup NXDOMAIN = new MxLookup(Kind.NO_SUCH_DOMAIN, List.of());
    private static final MxLookup NULL = new MxLookup(Kind.NULL_MX, List.of());

    private final Kind kind;
    private final List<Host> hosts;
    private final boolean authenticated;

    private MxLookup(Kind kind, List<Host> hosts) {
        this(kind, hosts, false);
    }

    private MxLookup(Kind kind, List<Host> hosts, boolean authenticated) {
        this.kind = kind;
        this.hosts = hosts;
        this.authenticated = authenticated;
    }

    /** The same answer, DNSSEC-authenticated (the precondition of DANE for its hosts, RFC 7672 2.2.1). */
    public MxLookup authenticated() {
        return new MxLookup(kind, hosts, true);
    }

    /** Whether a trusted validating resolver vouched for the answer. */
    public boolean isAuthenticated() {
        return authenticated;
    }

    /**
     * MX records, in any order (they are sorted by preference here).
     *
     * @throws IllegalArgumentException if the list is empty (use {@link #noRecords()})
     */
    public static MxLookup records(List<Host> hosts) {
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("no MX hosts: use MxLookup.noRecords() for a domain without MX");
        }
        List<Host> sorted = new ArrayList<>(hosts);
        sorted.sort(Comparator.comparingInt(Host::preference));
        return new MxLookup(Kind.RECORDS, List.copyOf(sorted));
    }

    /** The domain exists without MX records. */
    public static MxLookup noRecords() {
        return NONE;
    }

    /** The domain does not exist. */
    public static MxLookup noSuchDomain() {
        return NXDOMAIN;
    }

    /** The domain has a null MX (RFC 7505). */
    public static MxLookup nullMx() {
        return NULL;
    }

    /** The kind of answer. */
    public Kind kind() {
        return kind;
    }

    /** The MX hosts sorted by preference (empty unless {@link Kind#RECORDS}). */
    public List<Host> hosts() {
        return hosts;
    }

    @Override
    public String toString() {
        return kind == Kind.RECORDS ? "MX " + hosts : kind.toString();
    }
}
