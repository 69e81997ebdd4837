package dev.mailkit.spring;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.core.io.Resource;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code mailkit.*} properties: which servers the application runs and how. Nothing starts until a server is
 * enabled ({@code mailkit.smtp.enabled}, {@code mailkit.imap.enabled}, {@code mailkit.pop3.enabled}). Beans the
 * application declares itself (a {@code MessageSink}, {@code MailFilter}s, a {@code UserDirectory}, a
 * {@code MailStore}) take the place of what these properties would build.
 */
@ConfigurationProperties(prefix = "mailkit")
public class MailKitProperties {
    /** The address every server listens on: the loopback address by default; 0.0.0.0 for every interface. */
    private InetAddress bindAddress = InetAddress.getLoopbackAddress();

    /** The name the servers give in greetings, EHLO replies and Received: fields, and the relay's EHLO name. */
    private String hostName = "localhost";

    /** The domains mail is accepted for (default localhost). */
    private List<String> domains = new ArrayList<>();

    /** TLS for every server: a generated certificate, or one from PEM files. */
    private final Tls tls = new Tls();

    /** The users who log in (SMTP AUTH, IMAP, POP3) and own mailboxes, unless the application declares a UserDirectory bean. */
    private List<User> users = new ArrayList<>();

    /** The mailbox store that mail is delivered into and IMAP and POP3 serve, unless the application declares a MailStore bean. */
    private final Store store = new Store();

    /** How the default message sink (the delivery agent) files mail into the store's mailboxes. */
    private final Delivery delivery = new Delivery();

    /** The SMTP server. */
    @NestedConfigurationProperty
    private final SmtpProperties smtp = new SmtpProperties();

    /** The IMAP server. */
    @NestedConfigurationProperty
    private final ImapProperties imap = new ImapProperties();

    /** The POP3 server. */
    @NestedConfigurationProperty
    private final Pop3Properties pop3 = new Pop3Properties();

    /** The relay queue that sends mail to other domains (needs mailkit-relay). */
    @NestedConfigurationProperty
    private final RelayProperties relay = new RelayProperties();

    /** A JavaMailSender in this application that sends through the embedded SMTP server. */
    private final MailSender mailSender = new MailSender();

    public InetAddress getBindAddress() {
        return bindAddress;
    }

    public void setBindAddress(InetAddress bindAddress) {
        this.bindAddress = bindAddress;
    }

    public String getHostName() {
        return hostName;
    }

    public void setHostName(String hostName) {
        this.hostName = hostName;
    }

    public List<String> getDomains() {
        return domains;
    }

    public void setDomains(List<String> domains) {
        this.domains = domains;
    }

    public Tls getTls() {
        return tls;
    }

    public List<User> getUsers() {
        return users;
    }

    public void setUsers(List<User> users) {
        this.users = users;
    }

    public Store getStore() {
        return store;
    }

    public Delivery getDelivery() {
        return delivery;
    }

    public SmtpProperties getSmtp() {
        return smtp;
    }

    public ImapProperties getImap() {
        return imap;
    }

    public Pop3Properties getPop3() {
        return pop3;
    }

    public RelayProperties getRelay() {
        return relay;
    }

    public MailSender getMailSender() {
        return mailSender;
    }

    /** TLS for the servers ({@code mailkit.tls.*}). */
    public static class Tls {
        /** Generate a certificate for localhost, 127.0.0.1 and ::1 at start (for development and tests). */
        private boolean selfSigned;

        /** A PEM certificate chain, leaf first (with private-key). */
        private Resource certificate;

        /** The PEM private key of the certificate (PKCS#8, PKCS#1 or SEC1). */
        private Resource privateKey;

        public boolean isSelfSigned() {
            return selfSigned;
        }

        public void setSelfSigned(boolean selfSigned) {
            this.selfSigned = selfSigned;
        }

        public Resource getCertificate() {
            return certificate;
        }

        public void setCertificate(Resource certificate) {
            this.certificate = certificate;
        }

        public Resource getPrivateKey() {
            return privateKey;
        }

        public void setPrivateKey(Resource privateKey) {
            this.privateKey = privateKey;
        }

        /** Whether any TLS is configured. */
        public boolean isConfigured() {
            return selfSigned || certificate != null || privateKey != null;
        }
    }

    /** One user ({@code mailkit.users[n].*}). */
    public static class User {
        /** The user's mail address: their mailbox, and their login unless username is set. */
        private String address;

        /** The password (kept only as a PBKDF2 hash). */
        private String password;

        /** A PBKDF2 hash as PasswordHash writes it, instead of password. */
        private String passwordHash;

        /** A login name other than the address. */
        private String username;

        public String getAddress() {
            return address;
        }

        public void setAddress(String address) {
            this.address = address;
        }

        public String getPassword() {
            return password;
        }

        public void setPassword(String password) {
            this.password = password;
        }

        public String getPasswordHash() {
            return passwordHash;
        }

        public void setPasswordHash(String passwordHash) {
            this.passwordHash = passwordHash;
        }

        public String getUsername() {
            return username;
        }

        public void setUsername(String username) {
            this.username = username;
        }
    }

    /** The kinds of mailbox store. */
    public enum StoreType {
        /** In memory: fast, and gone when the application stops. */
        MEMORY,
        /** Durable Maildirs under a directory, laid out as Dovecot lays them out. */
        MAILDIR
    }

    /** The mailbox store ({@code mailkit.store.*}). */
    public static class Store {
        /** memory (the default) or maildir (durable; needs directory). */
        private StoreType type = StoreType.MEMORY;

        /** Where the maildir store keeps mail: DIRECTORY/domain/user/. */
        private Path directory;

        /** Create Drafts, Sent, Junk, Trash and Archive with their special uses in every account. */
        private boolean standardMailboxes = true;

        /** Whether the maildir store fsyncs each message before the SMTP 250 (keep it on outside tests). */
        private boolean fsync = true;

        public StoreType getType() {
            return type;
        }

        public void setType(StoreType type) {
            this.type = type;
        }

        public Path getDirectory() {
            return directory;
        }

        public void setDirectory(Path directory) {
            this.directory = directory;
        }

        public boolean isStandardMailboxes() {
            return standardMailboxes;
        }

        public void setStandardMailboxes(boolean standardMailboxes) {
            this.standardMailboxes = standardMailboxes;
        }

        public boolean isFsync() {
            return fsync;
        }

        public void setFsync(boolean fsync) {
            this.fsync = fsync;
        }
    }

    /** The delivery agent ({@code mailkit.delivery.*}). */
    public static class Delivery {
        /** Aliases: mail for the key goes to each of the addresses (users or other aliases). */
        private Map<String, List<String>> aliases = new LinkedHashMap<>();

        /** Catch-alls: mail for an unknown address of the key's domain goes to the value. */
        private Map<String, String> catchAll = new LinkedHashMap<>();

        /** File user+tag@domain into the user's mailbox named tag, when it exists. */
        private boolean plusAddressFolders;

        public Map<String, List<String>> getAliases() {
            return aliases;
        }

        public void setAliases(Map<String, List<String>> aliases) {
            this.aliases = aliases;
        }

        public Map<String, String> getCatchAll() {
            return catchAll;
        }

        public void setCatchAll(Map<String, String> catchAll) {
            this.catchAll = catchAll;
        }

        public boolean isPlusAddressFolders() {
            return plusAddressFolders;
        }

        public void setPlusAddressFolders(boolean plusAddressFolders) {
            this.plusAddressFolders = plusAddressFolders;
        }
    }

    /** The application's JavaMailSender pointed at the embedded SMTP server ({@code mailkit.mail-sender.*}). */
    public static class MailSender {
        /** Define a JavaMailSender that sends through the embedded SMTP server (needs spring-context-support). */
        private boolean enabled;

        /** Log in as this user (needed to relay from a submission port, or with mailkit.smtp.optional-auth). */
        private String username;

        /** The password of username. */
        private String password;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getUsername() {
            return username;
        }

        public void setUsername(String username) {
            this.username = username;
        }

        public String getPassword() {
            return password;
        }

        public void setPassword(String password) {
            this.password = password;
        }
    }
}
