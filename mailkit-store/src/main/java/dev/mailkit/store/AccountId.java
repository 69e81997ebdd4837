package dev.mailkit.store;

import dev.mailkit.core.MailAddress;
import dev.mailkit.core.auth.MailUser;

import java.util.Locale;
import java.util.Objects;

/**
 * The key of a user's mailboxes in a store: the user's address in lower case, with the domain in its ASCII (IDNA)
 * form. A durable store keeps the account under {@code <domain>/<local part>/}, so both parts are checked to be
 * safe as single directory names.
 *
 * <p>Accepted: a local part that is an RFC 5322 dot-atom (letters, digits, {@code !#$%&'*+-=?^_`{|}~} and UTF-8,
 * with dots only between atoms) and a domain name (not an address literal). Refused with
 * {@link MailStoreException.Reason#INVALID_NAME}, rather than repaired: quoted local parts with spaces or other
 * specials, {@code /} and {@code \}, {@code .} and {@code ..}, control and invisible format characters, text not in
 * NFC, and characters whose compatibility form is a dot or a slash.
 *
 * <p>Immutable and thread-safe.
 */
public final class AccountId implements Comparable<AccountId> {
    private static final String ATEXT_SPECIALS = "!#$%&'*+-=?^_`{|}~";

    private final String localPart;
    private final String domain;

    private AccountId(String localPart, String domain) {
        this.localPart = localPart;
        this.domain = domain;
    }

    /**
     * The account of an address.
     *
     * @throws MailStoreException ({@code INVALID_NAME}) if the address cannot name a safe account
     */
    public static AccountId of(MailAddress address) {
        Objects.requireNonNull(address, "address");
        if (address.isAddressLiteral()) {
            throw invalid(address.toString(), "its domain is an address literal; accounts need a domain name");
        }
        String local = address.localPart().toLowerCase(Locale.ROOT);
        String domain = address.domainAscii().toLowerCase(Locale.ROOT);
        checkLocal(address.toString(), local);
        checkDomain(address.toString(), domain);
        return new AccountId(local, domain);
    }

    /** The account of a user (by the user's address). */
    public static AccountId of(MailUser user) {
        return of(user.address());
    }

    /**
     * Parses {@code local@domain}.
     *
     * @throws MailStoreException ({@code INVALID_NAME}) if it is not a valid address or not a safe account
     */
    public static AccountId parse(String address) {
        try {
            return of(MailAddress.parse(address));
        } catch (dev.mailkit.core.MailAddressException e) {
            throw new MailStoreException(MailStoreException.Reason.INVALID_NAME,
                    "invalid account " + NameChecks.quote(address) + ": " + e.getMessage(), e);
        }
    }

    private static void checkLocal(String whole, String local) {
        if (local.isEmpty()) {
            throw invalid(whole, "its local part is empty");
        }
        String problem = NameChecks.problem(local, "");
        if (problem != null) {
            throw invalid(whole, "its local part " + problem);
        }
        if (local.startsWith(".") || local.endsWith(".") || local.contains("..")) {
            throw invalid(whole, "its local part has a leading, trailing or doubled '.'");
        }
        for (int i = 0; i < local.length(); i++) {
            char c = local.charAt(i);
            boolean ok = c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || ATEXT_SPECIALS.indexOf(c) >= 0;
            if (!ok) {
                throw invalid(whole, "its local part contains '" + c + "'; only dot-atom local parts "
                        + "(letters, digits, " + ATEXT_SPECIALS + " and UTF-8) can own mailboxes");
            }
        }
    }

    private static void checkDomain(String whole, String domain) {
        if (domain.isEmpty() || domain.length() > 255) {
            throw invalid(whole, "its domain is empty or too long");
        }
        for (String label : domain.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")) {
                throw invalid(whole, "its domain has an empty, over-long or hyphen-edged label");
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
                    throw invalid(whole, "its domain contains '" + c + "' (only letters, digits and '-' in "
                            + "ASCII form)");
                }
            }
        }
    }

    private static MailStoreException invalid(String whole, String why) {
        return new MailStoreException(MailStoreException.Reason.INVALID_NAME,
                "address " + NameChecks.quote(whole) + " cannot own mailboxes: " + why);
    }

    /** The local part in lower case (a safe directory name). */
    public String localPart() {
        return localPart;
    }

    /** The domain in lower-case ASCII (IDNA A-labels; a safe directory name). */
    public String domain() {
        return domain;
    }

    @Override
    public int compareTo(AccountId o) {
        int c = domain.compareTo(o.domain);
        return c != 0 ? c : localPart.compareTo(o.localPart);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AccountId && ((AccountId) o).localPart.equals(localPart)
                && ((AccountId) o).domain.equals(domain);
    }

    @Override
    public int hashCode() {
        return localPart.hashCode() * 31 + domain.hashCode();
    }

    /** {@code local@domain}. */
    @Override
    public String toString() {
        return localPart + "@" + domain;
    }
}
