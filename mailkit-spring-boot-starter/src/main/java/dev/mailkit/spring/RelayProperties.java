package dev.mailkit.spring;

import org.springframework.core.io.Resource;

import java.nio.file.Path;

/**
 * The relay queue ({@code mailkit.relay.*}, needs mailkit-relay on the class path): mail that authenticated users or
 * trusted networks send to other domains is queued durably and delivered to the recipients' MX hosts or a smart
 * host, DKIM-signed when {@code mailkit.relay.dkim.*} is set (needs mailkit-mailauth).
 */
public class RelayProperties {
    /** Run a relay queue with the SMTP server. */
    private boolean enabled;

    /** The queue's directory (one queue per directory). */
    private Path directory;

    /** Send everything through this host instead of the recipients' MX hosts. */
    private final SmartHost smartHost = new SmartHost();

    /** DKIM-sign mail from this domain (needs mailkit-mailauth). */
    private final Dkim dkim = new Dkim();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Path getDirectory() {
        return directory;
    }

    public void setDirectory(Path directory) {
        this.directory = directory;
    }

    public SmartHost getSmartHost() {
        return smartHost;
    }

    public Dkim getDkim() {
        return dkim;
    }

    /** TLS towards the smart host. */
    public enum SmartHostTls {
        /** STARTTLS when offered, plaintext otherwise. */
        OPPORTUNISTIC,
        /** STARTTLS with a verified certificate, or no delivery. */
        REQUIRED
    }

    /** A smart host ({@code mailkit.relay.smart-host.*}). */
    public static class SmartHost {
        /** The smart host's name or address (unset: MX delivery). */
        private String host;

        /** The smart host's port. */
        private int port = 587;

        /** AUTH user name at the smart host. */
        private String username;

        /** AUTH password at the smart host. */
        private String password;

        /** opportunistic (default) or required. */
        private SmartHostTls tls = SmartHostTls.OPPORTUNISTIC;

        public String getHost() {
            return host;
        }

        public void setHost(String host) {
            this.host = host;
        }

        public int getPort() {
            return port;
        }

        public void setPort(int port) {
            this.port = port;
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

        public SmartHostTls getTls() {
            return tls;
        }

        public void setTls(SmartHostTls tls) {
            this.tls = tls;
        }
    }

    /** DKIM signing ({@code mailkit.relay.dkim.*}). */
    public static class Dkim {
        /** The signing domain (d=): mail whose From: is this domain or below it is signed. */
        private String domain;

        /** The selector (s=): the key is published at SELECTOR._domainkey.DOMAIN. */
        private String selector;

        /** The PEM private key, RSA or Ed25519. */
        private Resource privateKey;

        public String getDomain() {
            return domain;
        }

        public void setDomain(String domain) {
            this.domain = domain;
        }

        public String getSelector() {
            return selector;
        }

        public void setSelector(String selector) {
            this.selector = selector;
        }

        public Resource getPrivateKey() {
            return privateKey;
        }

        public void setPrivateKey(Resource privateKey) {
            this.privateKey = privateKey;
        }

        /** Whether any DKIM property is set. */
        public boolean isConfigured() {
            return domain != null || selector != null || privateKey != null;
        }
    }
}
