package dev.mailkit.sieve.internal.managesieve;

import dev.mailkit.core.auth.MailUser;
import dev.mailkit.core.auth.Sasl;
import dev.mailkit.core.server.Connection;
import dev.mailkit.core.server.ProtocolInputStream;
import dev.mailkit.sieve.SieveCompileException;
import dev.mailkit.sieve.SieveScript;
import dev.mailkit.sieve.SieveScriptStore;
import dev.mailkit.sieve.SieveScripts;
import dev.mailkit.store.AccountId;
import dev.mailkit.store.MailStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * One ManageSieve connection (RFC 5804): the capability greeting, STARTTLS (with the capabilities again after the
 * handshake), AUTHENTICATE PLAIN and LOGIN (core's {@link Sasl}, the {@code AuthFailurePenalty} delay before a
 * failure's reply), then the script commands over {@link SieveScriptStore}: PUTSCRIPT and CHECKSCRIPT compile the script
 * and answer {@code NO} with sievec's error text, LISTSCRIPTS, SETACTIVE, GETSCRIPT, DELETESCRIPT, RENAMESCRIPT,
 * HAVESPACE; NOOP, CAPABILITY, UNAUTHENTICATE, LOGOUT. Not thread-safe: the connection's own thread.
 */
public final class ManageSieveSession {
    private static final Logger LOG = LoggerFactory.getLogger(ManageSieveSession.class);

    private final ManageSieveConfig config;
    private final Connection connection;
    private OutputStream out;
    private AccountId account;
    private int authFailures;
    private int badCommands;

    public ManageSieveSession(ManageSieveConfig config, Connection connection) {
        this.config = config;
        this.connection = connection;
    }

    /** Runs the session until LOGOUT, a limit, or the client goes. */
    public void run() throws IOException {
        out = connection.output();
        capabilities();
        ok(null, "mailkit ManageSieve ready.");
        flush();
        while (true) {
            ProtocolInputStream in = connection.input(); // a new stream after STARTTLS
            CommandLine c;
            try {
                c = CommandLine.read(in, config.maxScriptSize() + 1024);
            } catch (CommandLine.BadCommand e) {
                if (bad(e.getMessage())) {
                    return;
                }
                continue;
            } catch (CommandLine.TooLarge e) {
                bye("QUOTA/MAXSIZE", e.getMessage());
                return;
            } catch (ProtocolInputStream.LineTooLongException e) {
                if (bad("Command line too long.")) {
                    return;
                }
                continue;
            } catch (SocketTimeoutException e) {
                bye(null, "Disconnected for inactivity.");
                return;
            }
            if (c == null) {
                return;
            }
            if (!execute(c)) {
                flush();
                return;
            }
            if (in.buffered() == 0) {
                flush();
            }
        }
    }

    private boolean bad(String message) throws IOException {
        no(null, message);
        flush();
        if (++badCommands >= config.maxBadCommands()) {
            bye(null, "Too many invalid commands.");
            return true;
        }
        return false;
    }

    /** Executes one command; false when the session ends. */
    private boolean execute(CommandLine c) throws IOException {
        List<String> a = c.args;
        switch (c.name) {
            case "CAPABILITY" -> {
                if (!a.isEmpty()) {
                    return !bad("CAPABILITY takes no arguments.");
                }
                capabilities();
                ok(null, "Capability completed.");
            }
            case "LOGOUT" -> {
                ok(null, "Logout completed.");
                return false;
            }
            case "NOOP" -> {
                if (a.size() > 1) {
                    return !bad("NOOP takes at most one argument.");
                }
                ok(a.isEmpty() ? null : "TAG " + quote(a.get(0)), "NOOP completed.");
            }
            case "STARTTLS" -> {
                return startTls();
            }
            case "AUTHENTICATE" -> {
                return authenticate(a);
            }
            case "UNAUTHENTICATE" -> {
                if (account == null) {
                    return !bad("Not authenticated.");
                }
                account = null;
                connection.setReadTimeout(Duration.ofMinutes(1));
                ok(null, "Unauthenticate completed.");
            }
            default -> {
                if (account == null) {
                    return !bad(known(c.name) ? "Authenticate first." : "Unknown command.");
                }
                return scriptCommand(c.name, a);
            }
        }
        return true;
    }

    private static boolean known(String name) {
        return List.of("HAVESPACE", "PUTSCRIPT", "LISTSCRIPTS", "SETACTIVE", "GETSCRIPT", "DELETESCRIPT",
                "RENAMESCRIPT", "CHECKSCRIPT").contains(name);
    }

    private boolean startTls() throws IOException {
        if (!connection.canStartTls() || account != null) {
            return !bad(connection.isTls() ? "TLS is already active." : "STARTTLS is not available.");
        }
        ok(null, "Begin TLS negotiation now.");
        flush();
        try {
            connection.startTls();
        } catch (IOException e) {
            LOG.debug("{}: TLS handshake failed: {}", connection.id(), e.getMessage());
            return false;
        }
        out = connection.output();
        capabilities();
        ok(null, "TLS negotiation successful.");
        return true;
    }

    private boolean loginAllowed() {
        return connection.isTls() || !config.requireTlsForLogin();
    }

    private boolean authenticate(List<String> a) throws IOException {
        if (account != null) {
            return !bad("Already authenticated.");
        }
        if (a.isEmpty() || a.size() > 2) {
            return !bad("AUTHENTICATE needs a mechanism and at most an initial response.");
        }
        if (!loginAllowed()) {
            no("ENCRYPT-NEEDED", "Authentication requires TLS: use STARTTLS first.");
            return true;
        }
        String mech = a.get(0).toUpperCase(java.util.Locale.ROOT);
        Sasl.Credentials credentials;
        try {
            if (mech.equals("PLAIN")) {
                String response = a.size() == 2 ? a.get(1) : challenge("");
                if (response == null) {
                    return false;
                }
                credentials = Sasl.plain(response);
            } else if (mech.equals("LOGIN")) {
                String user = a.size() == 2 ? a.get(1) : challenge(Sasl.LOGIN_USERNAME_CHALLENGE);
                if (user == null) {
                    return false;
                }
                String pass = challenge(Sasl.LOGIN_PASSWORD_CHALLENGE);
                if (pass == null) {
                    return false;
                }
                credentials = Sasl.login(user, pass);
            } else {
                no(null, "Unsupported authentication mechanism.");
                return true;
            }
        } catch (Sasl.MalformedResponseException e) {
            return failedLogin();
        } catch (AuthCancelled e) {
            no(null, "Authentication cancelled.");
            return true;
        }
        try {
            if (!credentials.authorizationAllowed()) {
                return failedLogin();
            }
            Optional<MailUser> user;
            try {
                user = config.users().authenticate(credentials.username(), credentials.password());
            } catch (RuntimeException e) {
                LOG.warn("{}: the user directory failed: {}", connection.id(), e.toString());
                no("TRYLATER", "Authentication is not available now, try again later.");
                return true;
            }
            if (user.isEmpty()) {
                return failedLogin();
            }
            try {
                account = AccountId.of(user.get());
            } catch (MailStoreException e) {
                no(null, "This user cannot have scripts here.");
                return true;
            }
        } finally {
            credentials.wipe();
        }
        config.penalty().recordSuccess(connection.remoteAddress().getAddress());
        connection.setReadTimeout(config.idleTimeout());
        ok(null, "Logged in.");
        return true;
    }

    /** A client's "*" ends an exchange (RFC 5804 2.1). */
    private static final class AuthCancelled extends Exception {
        private static final long serialVersionUID = 1L;

        AuthCancelled() {
            super(null, null, false, false);
        }
    }

    /** Sends a challenge (a quoted base64 string) and reads the client's string; null at end of input. */
    private String challenge(String base64) throws IOException, AuthCancelled {
        write(quote(base64) + "\r\n");
        flush();
        byte[] line = connection.input().readLineBytes(CommandLine.MAX_LINE);
        if (line == null) {
            return null;
        }
        String s = new String(line, StandardCharsets.US_ASCII).trim();
        if (s.equals("\"*\"") || s.equals("*")) {
            throw new AuthCancelled();
        }
        if (s.startsWith("\"") && s.endsWith("\"") && s.length() >= 2) {
            return s.substring(1, s.length() - 1);
        }
        if (s.startsWith("{")) {
            int close = s.indexOf('}');
            String n = close < 0 ? "" : s.substring(1, close).replace("+", "");
            if (!n.matches("[0-9]{1,5}")) {
                return "";
            }
            byte[] data = connection.input().readNBytes(Integer.parseInt(n));
            connection.input().readLineBytes(CommandLine.MAX_LINE);
            return new String(data, StandardCharsets.US_ASCII).trim();
        }
        return s;
    }

    private boolean failedLogin() throws IOException {
        Duration delay = config.penalty().recordFailure(connection.remoteAddress().getAddress());
        if (!delay.isZero()) {
            flush();
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        no(null, "Authentication failed.");
        if (++authFailures >= config.maxAuthFailures()) {
            bye(null, "Too many authentication failures.");
            return false;
        }
        return true;
    }

    private boolean scriptCommand(String name, List<String> a) throws IOException {
        SieveScriptStore scripts = config.scripts();
        try {
            switch (name) {
                case "LISTSCRIPTS" -> {
                    Optional<String> active = scripts.activeName(account);
                    for (String s : scripts.list(account)) {
                        write(quote(s) + (active.isPresent() && active.get().equals(s) ? " ACTIVE" : "") + "\r\n");
                    }
                    ok(null, "Listscripts completed.");
                }
                case "HAVESPACE" -> {
                    if (a.size() != 2 || !a.get(1).matches("[0-9]{1,10}")) {
                        return !bad("HAVESPACE needs a script name and a size.");
                    }
                    if (named(a.get(0)) && room(a.get(0), Long.parseLong(a.get(1)))) {
                        ok(null, "Putscript would succeed.");
                    }
                }
                case "PUTSCRIPT" -> {
                    if (a.size() != 2) {
                        return !bad("PUTSCRIPT needs a script name and a script.");
                    }
                    if (named(a.get(0)) && room(a.get(0), a.get(1).getBytes(StandardCharsets.UTF_8).length)) {
                        List<String> warnings = compile(a.get(0), a.get(1));
                        if (warnings != null) {
                            scripts.write(account, a.get(0), a.get(1));
                            completed("Putscript completed.", warnings);
                        }
                    }
                }
                case "CHECKSCRIPT" -> {
                    if (a.size() != 1) {
                        return !bad("CHECKSCRIPT needs a script.");
                    }
                    List<String> warnings = compile("script", a.get(0));
                    if (warnings != null) {
                        completed("Script is valid.", warnings);
                    }
                }
                case "GETSCRIPT" -> {
                    if (a.size() != 1) {
                        return !bad("GETSCRIPT needs a script name.");
                    }
                    if (!named(a.get(0))) {
                        return true;
                    }
                    Optional<String> s = scripts.read(account, a.get(0));
                    if (s.isEmpty()) {
                        nonexistent(a.get(0));
                    } else {
                        byte[] b = s.get().getBytes(StandardCharsets.UTF_8);
                        write("{" + b.length + "}\r\n");
                        out.write(b);
                        write("\r\n");
                        ok(null, "Getscript completed.");
                    }
                }
                case "SETACTIVE" -> {
                    if (a.size() != 1) {
                        return !bad("SETACTIVE needs a script name.");
                    }
                    if (a.get(0).isEmpty()) {
                        scripts.activate(account, null);
                        ok(null, "Script deactivated.");
                    } else if (named(a.get(0))) {
                        try {
                            scripts.activate(account, a.get(0));
                            ok(null, "Setactive completed.");
                        } catch (NoSuchFileException e) {
                            nonexistent(a.get(0));
                        }
                    }
                }
                case "DELETESCRIPT" -> {
                    if (a.size() != 1) {
                        return !bad("DELETESCRIPT needs a script name.");
                    }
                    try {
                        if (named(a.get(0)) && !scripts.delete(account, a.get(0))) {
                            nonexistent(a.get(0));
                        } else if (SieveScripts.nameProblem(a.get(0)) == null) {
                            ok(null, "Deletescript completed.");
                        }
                    } catch (IllegalStateException e) {
                        no("ACTIVE", "You may not delete an active script.");
                    }
                }
                case "RENAMESCRIPT" -> {
                    if (a.size() != 2) {
                        return !bad("RENAMESCRIPT needs two script names.");
                    }
                    if (named(a.get(0)) && named(a.get(1))) {
                        try {
                            if (scripts.rename(account, a.get(0), a.get(1))) {
                                ok(null, "Renamescript completed.");
                            } else {
                                nonexistent(a.get(0));
                            }
                        } catch (FileAlreadyExistsException e) {
                            no("ALREADYEXISTS", "A script named " + a.get(1) + " already exists.");
                        }
                    }
                }
                default -> {
                    return !bad("Unknown command.");
                }
            }
        } catch (IOException e) {
            LOG.warn("{}: {} for {} failed: {}", connection.id(), name, account, e.toString());
            no("TRYLATER", "The script store failed, try again later.");
        }
        return true;
    }

    private boolean named(String name) throws IOException {
        String p = SieveScripts.nameProblem(name);
        if (p != null) {
            no(null, "Invalid script name: " + p + ".");
            return false;
        }
        return true;
    }

    private void nonexistent(String name) throws IOException {
        no("NONEXISTENT", "There is no script named " + printable(name) + ".");
    }

    private boolean room(String name, long size) throws IOException {
        if (size > config.maxScriptSize()) {
            no("QUOTA/MAXSIZE", "Script is too large (max " + config.maxScriptSize() + " octets).");
            return false;
        }
        List<String> existing = config.scripts().list(account);
        if (!existing.contains(name) && existing.size() >= config.maxScripts()) {
            no("QUOTA/MAXSCRIPTS", "Too many scripts (max " + config.maxScripts() + ").");
            return false;
        }
        return true;
    }

    /** The script's warnings, or null after answering NO with its errors. */
    private List<String> compile(String name, String source) throws IOException {
        try {
            return SieveScript.compile(name, source, config.scripts().includes(account)).warnings();
        } catch (SieveCompileException e) {
            no(null, e.getMessage());
            return null;
        }
    }

    private void completed(String text, List<String> warnings) throws IOException {
        if (warnings.isEmpty()) {
            ok(null, text);
        } else {
            write("OK (WARNINGS) " + string(String.join("\n", warnings)) + "\r\n");
        }
    }

    private void capabilities() throws IOException {
        write("\"IMPLEMENTATION\" " + quote(config.implementation()) + "\r\n");
        write("\"SIEVE\" " + quote(ManageSieveConfig.EXTENSIONS) + "\r\n");
        if (account == null) {
            write("\"SASL\" " + quote(loginAllowed() ? "PLAIN LOGIN" : "") + "\r\n");
        }
        if (config.tlsAvailable() && !connection.isTls()) {
            write("\"STARTTLS\"\r\n");
        }
        write("\"MAXREDIRECTS\" \"" + config.maxRedirects() + "\"\r\n");
        write("\"VERSION\" \"1.0\"\r\n");
    }

    private void ok(String code, String text) throws IOException {
        write("OK" + (code == null ? "" : " (" + code + ")") + " " + quote(text) + "\r\n");
    }

    private void no(String code, String text) throws IOException {
        write("NO" + (code == null ? "" : " (" + code + ")") + " " + string(text) + "\r\n");
    }

    private void bye(String code, String text) throws IOException {
        write("BYE" + (code == null ? "" : " (" + code + ")") + " " + quote(text) + "\r\n");
        flush();
    }

    /** A quoted string, or a literal when the text has line breaks or is long (sievec's messages have several). */
    private static String string(String s) {
        if (s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0 || s.length() > 1000) {
            String t = s.replace("\r\n", "\n").replace("\n", "\r\n");
            return "{" + t.getBytes(StandardCharsets.UTF_8).length + "}\r\n" + t;
        }
        return quote(s);
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\');
            }
            b.append(c == '\r' || c == '\n' ? ' ' : c);
        }
        return b.append('"').toString();
    }

    private static String printable(String s) {
        return quote(s.length() > 100 ? s.substring(0, 100) + "..." : s);
    }

    private void write(String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.UTF_8));
    }

    private void flush() throws IOException {
        out.flush();
    }

    @Override
    public String toString() {
        return "ManageSieveSession{" + connection.id() + (account == null ? "" : ", " + account) + ", "
                + Arrays.toString(new int[] {authFailures, badCommands}) + "}";
    }
}
