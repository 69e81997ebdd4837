package dev.mailkit.core;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * A network in CIDR notation ({@code 192.0.2.0/24}, {@code 2001:db8::/32}, or one address without a prefix length),
 * for trusted networks, exemptions and SPF's ip4/ip6 mechanisms. An IPv4-mapped IPv6 client address ({@code ::ffff:192.0.2.1}) matches IPv4
 * networks. Immutable.
 */
public final class Cidr {
    private final byte[] network;
    private final int prefix;
    private final String text;

    private Cidr(byte[] network, int prefix, String text) {
        this.network = network;
        this.prefix = prefix;
        this.text = text;
    }

    /**
     * Parses a network.
     *
     * @throws IllegalArgumentException if it is not an IP address with an optional {@code /prefix}, or has bits set
     *                                  beyond the prefix (the message suggests the network meant)
     */
    public static Cidr parse(String s) {
        Objects.requireNonNull(s, "network");
        String t = s.trim();
        int slash = t.indexOf('/');
        String addr = slash < 0 ? t : t.substring(0, slash);
        if (addr.isEmpty() || !addr.matches("[0-9a-fA-F.:]+") || (addr.indexOf(':') < 0 && !addr.matches(
                "\\d{1,3}(\\.\\d{1,3}){3}"))) {
            throw new IllegalArgumentException("'" + s + "' is not a network in CIDR notation (e.g. 192.0.2.0/24 or "
                    + "2001:db8::/32)");
        }
        InetAddress a;
        try {
            a = InetAddress.getByName(addr);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + s + "': '" + addr + "' is not an IP address", e);
        }
        byte[] bytes = normalise(a.getAddress());
        int max = bytes.length * 8;
        int prefix = max;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(t.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + s + "': the prefix length must be a number 0.." + max, e);
            }
            if (prefix < 0 || prefix > max) {
                throw new IllegalArgumentException("'" + s + "': the prefix length must be 0.." + max);
            }
        }
        byte[] masked = mask(bytes, prefix);
        if (!java.util.Arrays.equals(masked, bytes)) {
            String meant;
            try {
                meant = InetAddress.getByAddress(masked).getHostAddress() + "/" + prefix;
            } catch (UnknownHostException e) {
                meant = "?";
            }
            throw new IllegalArgumentException("'" + s + "' has address bits set beyond the /" + prefix
                    + " prefix; did you mean " + meant + "?");
        }
        return new Cidr(masked, prefix, t);
    }

    /**
     * The network of {@code prefix} bits around an address; bits beyond the prefix are ignored (as in SPF's
     * {@code ip4:192.0.2.1/24}).
     *
     * @throws IllegalArgumentException if the prefix is outside 0..32 (IPv4) or 0..128 (IPv6)
     */
    public static Cidr of(InetAddress address, int prefix) {
        byte[] bytes = normalise(address.getAddress());
        if (prefix < 0 || prefix > bytes.length * 8) {
            throw new IllegalArgumentException("prefix length must be 0.." + bytes.length * 8 + ", was " + prefix);
        }
        return new Cidr(mask(bytes, prefix), prefix, address.getHostAddress() + "/" + prefix);
    }

    /** Whether the address is in this network. */
    public boolean contains(InetAddress address) {
        if (address == null) {
            return false;
        }
        byte[] b = normalise(address.getAddress());
        return b.length == network.length && java.util.Arrays.equals(mask(b, prefix), network);
    }

    private static byte[] normalise(byte[] b) {
        if (b.length == 16) {
            boolean mapped = b[10] == (byte) 0xff && b[11] == (byte) 0xff;
            for (int i = 0; i < 10 && mapped; i++) {
                mapped = b[i] == 0;
            }
            if (mapped) {
                return java.util.Arrays.copyOfRange(b, 12, 16);
            }
        }
        return b;
    }

    private static byte[] mask(byte[] b, int prefix) {
        byte[] out = b.clone();
        for (int i = 0; i < out.length; i++) {
            int bits = Math.max(0, Math.min(8, prefix - i * 8));
            out[i] &= (byte) (0xff << (8 - bits));
        }
        return out;
    }

    /** Whether this is an IPv4 network. */
    public boolean isIpv4() {
        return network.length == 4;
    }

    @Override
    public String toString() {
        return text;
    }
}
