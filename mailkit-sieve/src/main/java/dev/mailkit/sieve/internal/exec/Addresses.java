package dev.mailkit.sieve.internal.exec;

import dev.mailkit.sieve.internal.parse.Cmd;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;

import java.util.ArrayList;
import java.util.List;

/**
 * The address parts of RFC 5228 2.7.4 and RFC 5233 (subaddress): {@code :all}, {@code :localpart},
 * {@code :domain}, {@code :user}, {@code :detail} (the separator is {@code +}). Stateless.
 */
public final class Addresses {
    static final int MAX_ADDRESSES = 1000;

    private Addresses() {
    }

    /** The addresses of header field values (groups expanded; unparsable values are left out). */
    public static List<String> fromHeader(List<String> values) {
        List<String> out = new ArrayList<>();
        for (String v : values) {
            try {
                for (InternetAddress a : InternetAddress.parseHeader(v, false)) {
                    addAddress(a, out);
                }
            } catch (AddressException e) {
                // an invalid address field: no address
            }
            if (out.size() > MAX_ADDRESSES) {
                break;
            }
        }
        return out;
    }

    private static void addAddress(InternetAddress a, List<String> out) throws AddressException {
        if (a.isGroup()) {
            for (InternetAddress m : a.getGroup(false)) {
                addAddress(m, out);
            }
        } else if (a.getAddress() != null && !a.getAddress().isEmpty()) {
            out.add(a.getAddress());
        }
    }

    /** The part the command's address-part tag asks for, or null if the address has none (no detail). */
    public static String part(Cmd c, String address) {
        int at = address.lastIndexOf('@');
        String local = at < 0 ? address : address.substring(0, at);
        String domain = at < 0 ? "" : address.substring(at + 1);
        if (c.has("localpart")) {
            return local;
        }
        if (c.has("domain")) {
            return domain;
        }
        int plus = local.indexOf('+');
        if (c.has("user")) {
            return plus < 0 ? local : local.substring(0, plus);
        }
        if (c.has("detail")) {
            return plus < 0 ? null : local.substring(plus + 1);
        }
        return address;
    }

    /** The parts of every address (addresses without the part are left out). */
    public static List<String> parts(Cmd c, List<String> addresses) {
        List<String> out = new ArrayList<>(addresses.size());
        for (String a : addresses) {
            String p = part(c, a);
            if (p != null) {
                out.add(p);
            }
        }
        return out;
    }
}
