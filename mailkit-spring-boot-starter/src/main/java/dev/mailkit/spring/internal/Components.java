package dev.mailkit.spring.internal;

import dev.mailkit.core.auth.InMemoryUserDirectory;
import dev.mailkit.core.auth.UserDirectory;
import dev.mailkit.spring.MailKitProperties;
import dev.mailkit.store.MailStore;
import dev.mailkit.store.delivery.DeliveryAgent;
import dev.mailkit.store.maildir.MaildirMailStore;
import dev.mailkit.store.memory.MemoryMailStore;

import java.util.List;
import java.util.Map;

/** The default user directory, store and delivery agent, from {@code mailkit.users}, {@code .store}, {@code .delivery}. */
public final class Components {
    private Components() {
    }

    /** {@code mailkit.users[n]} as an in-memory directory (passwords kept as PBKDF2 hashes). */
    public static UserDirectory users(List<MailKitProperties.User> users) {
        InMemoryUserDirectory.Builder b = InMemoryUserDirectory.builder();
        for (int i = 0; i < users.size(); i++) {
            MailKitProperties.User u = users.get(i);
            String prefix = "mailkit.users[" + i + "]";
            if (u.getAddress() == null || u.getAddress().isBlank()) {
                throw Problems.problem(prefix + ".address", null, "every user needs a mail address",
                        "Set " + prefix + ".address, e.g. ann@example.com.");
            }
            if ((u.getPassword() == null) == (u.getPasswordHash() == null)) {
                throw Problems.problem(prefix + ".password", u.getPassword() == null ? null : "******",
                        "a user needs either a password or a password-hash, not " + (u.getPassword() == null
                                ? "neither" : "both"), "Set one of " + prefix + ".password and " + prefix
                                + ".password-hash.");
            }
            String login = u.getUsername() == null ? u.getAddress() : u.getUsername();
            if (u.getPassword() != null) {
                Problems.apply(prefix + ".address", u.getAddress(), () -> b.user(login, u.getAddress(),
                        u.getPassword()));
            } else {
                Problems.apply(prefix + ".password-hash", "******", () -> b.userWithHash(login, u.getAddress(),
                        u.getPasswordHash()));
            }
        }
        return b.build();
    }

    /** {@code mailkit.store.*}: the in-memory store, or the Maildir store under its directory. */
    public static MailStore store(MailKitProperties.Store p) {
        if (p.getType() == MailKitProperties.StoreType.MAILDIR) {
            if (p.getDirectory() == null) {
                throw Problems.problem("mailkit.store.directory", null, "the maildir store keeps mail in a directory, "
                        + "and none is set", "Set mailkit.store.directory (e.g. /var/lib/myapp/mail), or "
                        + "mailkit.store.type=memory.");
            }
            MaildirMailStore.Builder b = MaildirMailStore.builder(p.getDirectory()).fsync(p.isFsync());
            if (p.isStandardMailboxes()) {
                b.standardMailboxes();
            }
            MaildirMailStore[] out = new MaildirMailStore[1];
            Problems.apply("mailkit.store.directory", p.getDirectory(), () -> out[0] = b.build());
            return out[0];
        }
        MemoryMailStore.Builder b = MemoryMailStore.builder();
        if (p.isStandardMailboxes()) {
            b.standardMailboxes();
        }
        return b.build();
    }

    /** The delivery agent over the store: users' INBOXes, {@code mailkit.delivery.*} aliases and catch-alls. */
    public static DeliveryAgent deliveryAgent(MailStore store, UserDirectory users, MailKitProperties.Delivery p) {
        DeliveryAgent.Builder b = DeliveryAgent.builder().store(store).users(users)
                .plusAddressFolders(p.isPlusAddressFolders());
        for (Map.Entry<String, List<String>> e : p.getAliases().entrySet()) {
            Problems.apply("mailkit.delivery.aliases[" + e.getKey() + "]", e.getValue(),
                    () -> b.alias(e.getKey(), e.getValue().toArray(new String[0])));
        }
        for (Map.Entry<String, String> e : p.getCatchAll().entrySet()) {
            Problems.apply("mailkit.delivery.catch-all[" + e.getKey() + "]", e.getValue(),
                    () -> b.catchAll(e.getKey(), e.getValue()));
        }
        DeliveryAgent[] out = new DeliveryAgent[1];
        Problems.apply("mailkit.delivery.aliases", p.getAliases(), () -> out[0] = b.build());
        return out[0];
    }
}
