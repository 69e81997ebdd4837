package dev.mailkit.store.delivery;

import dev.mailkit.core.MailAddress;
import dev.mailkit.core.MailAddressException;
import dev.mailkit.core.SmtpReply;
import dev.mailkit.core.auth.MailUser;
import dev.mailkit.core.auth.UserDirectory;
import dev.mailkit.store.AccountId;
import dev.mailkit.store.MailStore;
import dev.mailkit.store.MailStoreException;
import dev.mailkit.store.MailboxInfo;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.SpecialUse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Resolves a recipient address (an RFC 5321 forward-path) to the mailboxes its mail is filed into, in the order the
 * {@link DeliveryAgent} documents: aliases (fixed, then the {@link AliasResolver}; recursive, with a depth limit
 * and loops cut where they close), users of the {@link UserDirectory}, plus-addressing (into a folder named by the
 * tag if so configured and it exists), the domain's catch-all. Each mailbox appears once, with the address its copy
 * is delivered to. Immutable and thread-safe.
 */
final class RecipientResolver {
    /** The agent's logger: operators know its warnings (alias loops, dropped targets) by that name. */
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryAgent.class);

    /** The outcome of resolving one address: the mailboxes, and whether an alias loop was cut. */
    static final class Resolution {
        final LinkedHashMap<Key, Destination> destinations = new LinkedHashMap<>();
        boolean loop;
        /** The reply refusing the address (see {@link #resolveOrRefuse}), or null. */
        SmtpReply refusal;
    }

    /** One mailbox. */
    record Key(AccountId account, MailboxName mailbox) {
    }

    private final MailStore store;
    private final UserDirectory users;
    private final Map<String, List<MailAddress>> aliases;
    private final AliasResolver resolver;
    private final Map<String, MailAddress> catchAll;
    private final String delimiters;
    private final boolean plusFolders;
    private final int maxDepth;

    /**
     * @param aliases     fixed aliases by {@link MailAddress#lookupKey()}
     * @param catchAll    catch-all targets by lower-case domain
     * @param delimiters  the characters that start an address extension (empty: no plus-addressing)
     * @param plusFolders whether a plus tag names a folder
     * @param maxDepth    the deepest alias nesting followed
     */
    RecipientResolver(MailStore store, UserDirectory users, Map<String, List<MailAddress>> aliases,
                      AliasResolver resolver, Map<String, MailAddress> catchAll, String delimiters,
                      boolean plusFolders, int maxDepth) {
        this.store = store;
        this.users = users;
        this.aliases = Map.copyOf(aliases);
        this.resolver = resolver;
        this.catchAll = Map.copyOf(catchAll);
        this.delimiters = delimiters;
        this.plusFolders = plusFolders;
        this.maxDepth = maxDepth;
    }

    /** The number of fixed aliases. */
    int aliasCount() {
        return aliases.size();
    }

    /** The domains with a catch-all. */
    Set<String> catchAllDomains() {
        return catchAll.keySet();
    }

    /**
     * Resolves an address.
     *
     * @throws MailStoreException if the store refuses a resulting account
     */
    Resolution resolve(MailAddress recipient) {
        Resolution r = new Resolution();
        expand(recipient, 0, new HashSet<>(), r, true);
        return r;
    }

    /**
     * Resolves an address as a recipient: its mailboxes, or the {@link Resolution#refusal reply} refusing it when
     * there are none ({@code 550 5.1.1}, or {@code 554 5.4.6} for an alias loop) or the store cannot have an account
     * for it ({@code 550 5.1.3}).
     */
    Resolution resolveOrRefuse(MailAddress recipient) {
        Resolution r;
        try {
            r = resolve(recipient);
        } catch (MailStoreException e) {
            r = new Resolution();
            r.refusal = SmtpReply.of(550, "5.1.3", "<" + recipient + ">: cannot have a mailbox here");
            return r;
        }
        if (r.destinations.isEmpty()) {
            r.refusal = r.loop ? SmtpReply.of(554, "5.4.6", "<" + recipient + ">: alias loop")
                    : SmtpReply.of(550, "5.1.1", "<" + recipient + ">: no such user here");
        }
        return r;
    }

    private void expand(MailAddress address, int depth, Set<String> path, Resolution out, boolean allowCatchAll) {
        String key = address.lookupKey();
        if (depth > maxDepth || !path.add(key)) {
            out.loop = true;
            LOG.warn("alias loop: {} leads back to itself (or deeper than {} levels); that branch is dropped",
                    address, maxDepth);
            return;
        }
        try {
            List<MailAddress> targets = aliasTargets(address);
            if (!targets.isEmpty()) {
                for (MailAddress t : targets) {
                    expand(t, depth + 1, path, out, true);
                }
                return;
            }
            Optional<MailUser> user = users.findByAddress(address);
            if (user.isPresent()) {
                add(out, user.get(), MailboxName.INBOX, address);
                return;
            }
            if (plus(address, depth, path, out)) {
                return;
            }
            MailAddress fallback = allowCatchAll ? catchAll.get(address.domainLowerCase()) : null;
            if (fallback != null) {
                expand(fallback, depth + 1, path, out, false);
                return;
            }
            if (depth > 0) {
                LOG.warn("alias target {} is neither a local user nor an alias; it gets no copy (aliases never relay)",
                        address);
            }
        } finally {
            path.remove(key);
        }
    }

    private List<MailAddress> aliasTargets(MailAddress address) {
        List<MailAddress> fixed = aliases.get(address.lookupKey());
        if (fixed != null) {
            return fixed;
        }
        List<MailAddress> dynamic = resolver.targets(address);
        return dynamic == null ? List.of() : dynamic;
    }

    /** Plus-addressing: user+tag@domain as user@domain (into folder tag if configured and present). */
    private boolean plus(MailAddress address, int depth, Set<String> path, Resolution out) {
        if (delimiters.isEmpty()) {
            return false;
        }
        String local = address.localPart();
        int cut = -1;
        for (int i = 0; i < local.length(); i++) {
            if (delimiters.indexOf(local.charAt(i)) >= 0) {
                cut = i;
                break;
            }
        }
        if (cut <= 0) {
            return false;
        }
        MailAddress base;
        try {
            base = address.withLocalPart(local.substring(0, cut));
        } catch (MailAddressException e) {
            return false;
        }
        String tag = local.substring(cut + 1);
        Resolution inner = new Resolution();
        expand(base, depth + 1, path, inner, false);
        out.loop |= inner.loop;
        if (inner.destinations.isEmpty()) {
            return false;
        }
        for (Destination d : inner.destinations.values()) {
            MailboxName box = plusFolders && !tag.isEmpty() && d.mailbox().isInbox() ? folderFor(d.account(), tag)
                    : d.mailbox();
            out.destinations.putIfAbsent(new Key(d.account(), box), new Destination(d.account(), box, address));
        }
        return true;
    }

    /** The folder named by a plus tag, if it exists and is not Drafts or Sent; otherwise INBOX. */
    private MailboxName folderFor(AccountId account, String tag) {
        try {
            MailboxName name = MailboxName.of(tag);
            if (name.isInbox()) {
                return MailboxName.INBOX;
            }
            for (MailboxInfo i : store.account(account).list()) {
                if (i.name().equals(name) && i.selectable()) {
                    Set<SpecialUse> u = i.specialUse();
                    return u.contains(SpecialUse.DRAFTS) || u.contains(SpecialUse.SENT) ? MailboxName.INBOX : name;
                }
            }
        } catch (MailStoreException e) {
            // not a valid mailbox name: INBOX
        }
        return MailboxName.INBOX;
    }

    private static void add(Resolution out, MailUser user, MailboxName mailbox, MailAddress deliveredTo) {
        AccountId account = AccountId.of(user);
        out.destinations.putIfAbsent(new Key(account, mailbox), new Destination(account, mailbox, deliveredTo));
    }
}
