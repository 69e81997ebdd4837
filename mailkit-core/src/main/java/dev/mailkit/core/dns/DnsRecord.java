package dev.mailkit.core.dns;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One record of a DNS answer, in mailkit's own types (no resolver library's types appear in mailkit's API). Host
 * names are lower case, in ASCII (A-label) form, without the trailing dot. Immutable.
 */
public sealed interface DnsRecord permits DnsRecord.Address, DnsRecord.Mx, DnsRecord.Txt, DnsRecord.Ptr,
        DnsRecord.Tlsa {

    /** The type of this record. */
    DnsType type();

    /** An A or AAAA record. */
    record Address(InetAddress address) implements DnsRecord {
        /** An address record; the type follows from the address family. */
        public Address {
            Objects.requireNonNull(address, "address");
        }

        @Override
        public DnsType type() {
            return address.getAddress().length == 4 ? DnsType.A : DnsType.AAAA;
        }
    }

    /**
     * An MX record. A null MX (RFC 7505, {@code MX 0 .}) has an empty {@code host}.
     *
     * @param preference 0 to 65535, lower is preferred
     * @param host       the exchanger, lower case without the trailing dot; empty for the root (a null MX)
     */
    record Mx(int preference, String host) implements DnsRecord {
        /** An MX record; the host is normalised (lower case, no trailing dot). */
        public Mx {
            if (preference < 0 || preference > 65535) {
                throw new IllegalArgumentException("MX preference must be 0..65535, was " + preference);
            }
            host = hostName(host);
        }

        /** Whether this is the null MX of RFC 7505 (the root as exchanger). */
        public boolean isNullMx() {
            return host.isEmpty();
        }

        @Override
        public DnsType type() {
            return DnsType.MX;
        }
    }

    /**
     * A TXT record: its character strings, each up to 255 octets, byte for byte.
     *
     * @param strings the character strings in order
     */
    record Txt(List<byte[]> strings) implements DnsRecord {
        /** A TXT record; the strings are copied. */
        public Txt {
            strings = strings.stream().map(byte[]::clone).toList();
        }

        /** A TXT record of one or more strings, each encoded as ISO-8859-1 (one char per octet). */
        public static Txt of(String... strings) {
            return new Txt(Arrays.stream(strings).map(s -> s.getBytes(StandardCharsets.ISO_8859_1)).toList());
        }

        /** The character strings joined, byte for byte, as ISO-8859-1 text (RFC 7208 3.3, RFC 6376 3.6.2.2). */
        public String text() {
            ByteArrayOutputStream joined = new ByteArrayOutputStream();
            for (byte[] s : strings) {
                joined.writeBytes(s);
            }
            return joined.toString(StandardCharsets.ISO_8859_1);
        }

        @Override
        public List<byte[]> strings() {
            return strings.stream().map(byte[]::clone).toList();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Txt t && t.text().equals(text()) && t.strings.size() == strings.size();
        }

        @Override
        public int hashCode() {
            return text().hashCode();
        }

        @Override
        public String toString() {
            return "Txt[" + text() + "]";
        }

        @Override
        public DnsType type() {
            return DnsType.TXT;
        }
    }

    /** A PTR record: the host a reverse name points to (lower case, no trailing dot). */
    record Ptr(String host) implements DnsRecord {
        /** A PTR record; the host is normalised. */
        public Ptr {
            host = hostName(host);
        }

        @Override
        public DnsType type() {
            return DnsType.PTR;
        }
    }

    /**
     * A TLSA record (RFC 6698): certificate usage, selector, matching type and the association data.
     */
    record Tlsa(int usage, int selector, int matchingType, byte[] data) implements DnsRecord {
        /** A TLSA record; the data is copied. */
        public Tlsa {
            data = data.clone();
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Tlsa t && t.usage == usage && t.selector == selector && t.matchingType == matchingType
                    && Arrays.equals(t.data, data);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(data) * 31 + usage * 7 + selector * 3 + matchingType;
        }

        @Override
        public String toString() {
            return "Tlsa[" + usage + " " + selector + " " + matchingType + " " + HexFormat.of().formatHex(data) + "]";
        }

        @Override
        public DnsType type() {
            return DnsType.TLSA;
        }
    }

    /** A host name in the form records carry: lower case, without the trailing dot ("" for the root). */
    static String hostName(String name) {
        Objects.requireNonNull(name, "host");
        String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        return n.toLowerCase(Locale.ROOT);
    }
}
