package dev.mailkit.examples;

import dev.mailkit.acme.AcmeCertificates;
import dev.mailkit.core.tls.TlsConfig;
import dev.mailkit.examples.cli.Cli;
import dev.mailkit.examples.config.Setting;
import dev.mailkit.imap.ImapServer;
import dev.mailkit.passwd.PasswdFileUserDirectory;
import dev.mailkit.pop3.Pop3Server;
import dev.mailkit.sieve.ManageSieveServer;
import dev.mailkit.sieve.SieveScriptStore;
import dev.mailkit.relay.RelayQueue;
import dev.mailkit.smtp.SmtpServer;
import dev.mailkit.store.MailStore;
import dev.mailkit.web.WebServer;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The runnable mailkit server and its command line ({@code mailkit serve|user|queue|import|export|diagnose|dkim}, see
 * {@link Cli}): SMTP on an MX port, a submission port and an implicit-TLS port, IMAP and POP3 with STARTTLS and
 * implicit TLS, the web inbox, every port with TLS (a generated certificate unless one is given). Accepted mail goes
 * through the delivery agent (users, aliases, catch-alls, plus-addressing) into a durable Maildir under the data
 * directory (Dovecot can serve it as it is). Mail that authenticated users (or clients in trusted networks) send to
 * other domains goes through a durable relay queue. See {@link ServerOptions} for the settings. Stops cleanly on
 * SIGTERM or Ctrl-C; reloads on SIGHUP ({@link Running#reload()}).
 */
public final class MailkitServerMain {
    /** New mail is refused with 452 4.3.1 while the data directory's file system has less free (64 MiB). */
    static final long MIN_FREE_SPACE = 64L * 1024 * 1024;

    private MailkitServerMain() {
    }

    /**
     * Runs the command line. With no command, or with flags only, it is {@code serve}: the command lines of earlier
     * versions start the server as before.
     */
    public static void main(String[] args) {
        int code = Cli.run(args, System.out, System.err);
        System.out.flush();
        System.exit(code);
    }

    /** Starts everything the options ask for and prints where it listens. */
    public static Running start(ServerOptions o, PrintStream out) {
        ClassPreloader.preload(MailkitServerMain.class.getClassLoader()); // so that it answers while out of descriptors
        return ServerAssembly.start(o, out);
    }

    /** What a reload swaps, kept by the running server. */
    record Parts(Switchable.Users users, PasswdFileUserDirectory usersFile, Switchable.Sink agent,
                 Switchable.Filters filters, SieveScriptStore sieve, LateQueue outbound,
                 dev.mailkit.core.auth.UserDirectory database) {
    }

    /**
     * What a reload did: the settings it applied, those that changed but need a restart, or why the configuration was
     * not taken (then nothing changed).
     */
    public record ReloadReport(List<String> applied, List<String> needRestart, String error) {
        /** The report as log lines. */
        public List<String> lines() {
            List<String> out = new ArrayList<>();
            if (error != null) {
                out.add("reload refused, nothing changed: " + error);
                return out;
            }
            out.add("reloaded: " + (applied.isEmpty() ? "nothing changed" : String.join(", ", applied)));
            if (!needRestart.isEmpty()) {
                out.add("changed, but needs a restart to apply: " + String.join(", ", needRestart));
            }
            return out;
        }
    }

    /** The servers started from the options; closing stops them all. */
    public static final class Running implements AutoCloseable {
        final SmtpServer smtp;
        final ImapServer imap;
        final Pop3Server pop3;
        final MailStore store;
        final TlsConfig tls;
        final RelayQueue relay;
        final WebServer web;
        ManageSieveServer manageSieve;
        /** The full-text index IMAP searches with ({@code --search-index}), or null. */
        AutoCloseable searchIndex;
        AcmeCertificates acme;
        private final Parts parts;
        private final ServerOptions started;
        private final ReentrantLock reloading = new ReentrantLock();
        private ServerOptions current;
        private PasswdFileUserDirectory usersFile;

        Running(ServerOptions options, SmtpServer smtp, ImapServer imap, Pop3Server pop3, MailStore store,
                TlsConfig tls, RelayQueue relay, WebServer web, Parts parts) {
            this.started = options;
            this.current = options;
            this.smtp = smtp;
            this.imap = imap;
            this.pop3 = pop3;
            this.store = store;
            this.tls = tls;
            this.relay = relay;
            this.web = web;
            this.parts = parts;
            this.usersFile = parts.usersFile();
        }

        /** The ManageSieve server for users' Sieve scripts. */
        public ManageSieveServer manageSieve() {
            return manageSieve;
        }

        /** The ACME certificates ({@code tls.acme.*}), if configured. */
        public java.util.Optional<AcmeCertificates> acme() {
            return java.util.Optional.ofNullable(acme);
        }

        /** The web inbox and Mailpit-compatible API. */
        public WebServer web() {
            return web;
        }

        public RelayQueue relay() {
            return relay;
        }

        public SmtpServer smtp() {
            return smtp;
        }

        public ImapServer imap() {
            return imap;
        }

        public Pop3Server pop3() {
            return pop3;
        }

        /** The mailbox store mail is delivered into and IMAP and POP3 serve. */
        public MailStore store() {
            return store;
        }

        /** The TLS configuration every listener uses (replaceable: a reload re-reads the certificate files). */
        public TlsConfig tls() {
            return tls;
        }

        /** The options the server runs with now (after reloads). */
        public ServerOptions options() {
            reloading.lock();
            try {
                return current;
            } finally {
                reloading.unlock();
            }
        }

        Parts parts() {
            return new Parts(parts.users(), usersFile, parts.agent(), parts.filters(), parts.sieve(), parts.outbound(),
                    parts.database());
        }

        /**
         * Reads the configuration file again (the command-line flags still on top) and applies what can change without
         * a restart, without dropping a connection: the certificate files (re-read even when their names did not
         * change), the users (and the users file), aliases and catch-alls, the SMTP filters (blocklists, SPF/DKIM/DMARC,
         * scanners; sessions under way finish with the ones they began with). Other changed settings are named as
         * needing a restart. A bad file changes nothing. SIGHUP calls this.
         */
        public ReloadReport reload() {
            reloading.lock();
            try {
                ServerOptions next;
                try {
                    next = current.reread();
                } catch (ServerOptions.UsageException e) {
                    return new ReloadReport(List.of(), List.of(), e.getMessage());
                }
                List<Setting<?>> changed = current.values().changed(next.values());
                List<String> applied = new ArrayList<>();
                List<String> restart = new ArrayList<>();
                for (Setting<?> s : started.values().changed(next.values())) {
                    if (s.reload() == Setting.Reload.RESTART) {
                        restart.add(s.flag() + " (" + s.key() + ")");
                    }
                }
                try {
                    // build everything first: a failure leaves the running parts as they were
                    TlsConfig newTls = next.get(ServerOptions.TLS_CERT) != null ? ServerAssembly.tls(next) : null;
                    boolean usersChanged = changed.contains(ServerOptions.USERS)
                            || changed.contains(ServerOptions.USERS_FILE);
                    PasswdFileUserDirectory newFile = usersFile;
                    if (changed.contains(ServerOptions.USERS_FILE)) {
                        newFile = ServerAssembly.usersFile(next);
                    } else if (usersFile != null && usersFile.reload()) {
                        applied.add("users file " + usersFile.file());
                    }
                    boolean agentChanged = usersChanged || changed.contains(ServerOptions.ALIASES)
                            || changed.contains(ServerOptions.CATCH_ALL) || changed.stream().anyMatch(s ->
                            s.key().startsWith("scan."));
                    boolean filtersChanged = changed.stream().anyMatch(s -> s.reload() == Setting.Reload.APPLIED
                            && (s.key().startsWith("scan.") || s.key().startsWith("smtp.")));
                    dev.mailkit.core.auth.UserDirectory newUsers = usersChanged
                            ? ServerAssembly.users(next, newFile, parts.database()) : null;
                    if (newTls != null) {
                        tls.replace(newTls);
                        applied.add("certificate " + next.get(ServerOptions.TLS_CERT) + Banner.expiry(
                                newTls.certificate(), java.time.Instant.now()).map(w -> " (WARNING: " + w + ")")
                                .orElse(""));
                    }
                    if (newUsers != null) {
                        parts.users().set(newUsers);
                        usersFile = newFile;
                        applied.add("users");
                    }
                    if (agentChanged) {
                        parts.agent().set(ServerAssembly.agent(next, store, parts.users(), parts.sieve(),
                                parts.outbound()));
                        applied.add("aliases and catch-alls");
                    }
                    if (filtersChanged) {
                        parts.filters().set(ServerAssembly.filters(next));
                        applied.add("SMTP filters");
                    }
                } catch (RuntimeException e) {
                    return new ReloadReport(List.of(), List.of(), e.getMessage());
                }
                current = next;
                return new ReloadReport(applied, restart, null);
            } finally {
                reloading.unlock();
            }
        }

        /** Stops the servers (waiting for deliveries under way), then closes the store cleanly. */
        @Override
        public void close() {
            try {
                if (acme != null) {
                    acme.close();
                }
                web.close();
                if (manageSieve != null) {
                    manageSieve.close();
                }
                smtp.close();
                relay.close();
                imap.close();
                pop3.close();
            } finally {
                try {
                    if (searchIndex != null) {
                        searchIndex.close(); // after IMAP, which searches it; before the store it indexes
                    }
                } catch (Exception e) {
                    throw new IllegalStateException("cannot close the search index: " + e.getMessage(), e);
                } finally {
                    store.close();
                }
            }
        }
    }
}
