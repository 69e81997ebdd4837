package dev.mailkit.relay.internal;

import dev.mailkit.core.mime.CrlfOutputStream;
import dev.mailkit.core.MailAddress;
import dev.mailkit.core.TlsInfo;
import dev.mailkit.core.tls.TlsConfig;
import dev.mailkit.relay.RelayTls;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * The relay's SMTP client: one connection to one remote server, used for any number of transactions. It speaks
 * ESMTP with PIPELINING (RFC 2920) when offered, STARTTLS (certificate and host name verified when TLS is required),
 * AUTH PLAIN/LOGIN for smart hosts, SIZE, 8BITMIME, SMTPUTF8 and DSN (RFC 3461: RET, ENVID, NOTIFY and ORCPT
 * passed on). Content is sent with CRLF line ends only and dot-stuffed ({@link CrlfOutputStream}), so no bare CR or
 * LF ever leaves mailkit. Every step has a timeout; writes are guarded by the {@link Watchdog}. Used by one thread at
 * a time.
 */
public final class SmtpConnection implements Closeable {
    private static final int MAX_LINE = 4096;
    private static final int MAX_LINES = 100;

    private final String remoteHost;
    private final InetSocketAddress remoteAddress;
    private final ClientSettings settings;
    private final Watchdog watchdog;
    private Socket socket;
    private InputStream rawIn;
    private OutputStream out;
    private final byte[] ibuf = new byte[8192];
    private byte[] dataBuffer;
    private int ipos;
    private int ilen;
    private volatile long deadline; // System.nanoTime() value, 0 when idle
    private int soTimeout = -1;
    private final long openedNanos = System.nanoTime();

    private final Set<String> extensions = new HashSet<>();
    private final Set<String> authMechanisms = new HashSet<>();
    private long sizeLimit;
    private TlsInfo tls;
    private boolean broken;
    private int transactions;
    private boolean lostBeforeReply;
    private volatile boolean timedOut;

    private SmtpConnection(String remoteHost, InetSocketAddress remoteAddress, ClientSettings settings,
                           Watchdog watchdog) {
        this.remoteHost = remoteHost;
        this.remoteAddress = remoteAddress;
        this.settings = settings;
        this.watchdog = watchdog;
    }

    /**
     * Connects, reads the greeting, says EHLO, starts TLS and authenticates as the settings ask.
     *
     * @param remoteHost the name of the server (for TLS verification and reports)
     * @throws SessionFailure if the server cannot be used; the message says why, in Postfix's words where possible
     */
    public static SmtpConnection open(String remoteHost, InetSocketAddress address, ClientSettings settings,
                                      Watchdog watchdog) throws SessionFailure {
        SmtpConnection c = new SmtpConnection(remoteHost, address, settings, watchdog);
        try {
            c.connect();
            c.greet();
            return c;
        } catch (SessionFailure e) {
            c.abort();
            throw e;
        } catch (IOException e) {
            c.abort();
            throw new SessionFailure("lost connection with " + c.who() + " during the greeting: " + Text.describe(e),
                    null, "4.4.2", e);
        } catch (RuntimeException e) {
            c.abort();
            throw e;
        }
    }

    private void connect() throws SessionFailure {
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.connect(remoteAddress, (int) settings.connectTimeout.toMillis());
            s.setSoTimeout((int) settings.commandTimeout.toMillis());
        } catch (IOException e) {
            try {
                s.close();
            } catch (IOException ignored) {
                // nothing more to do
            }
            throw new SessionFailure("connect to " + who() + ": " + Text.describe(e), null, "4.4.1", e);
        }
        socket = s;
        watchdog.watch(this);
        try {
            streams();
        } catch (IOException e) {
            throw new SessionFailure("connect to " + who() + ": " + Text.describe(e), null, "4.4.1", e);
        }
    }

    private void streams() throws IOException {
        rawIn = socket.getInputStream();
        out = new BufferedOutputStream(socket.getOutputStream(), 32 * 1024);
        ipos = 0;
        ilen = 0;
    }

    private void greet() throws IOException, SessionFailure {
        Reply greeting = readReply(settings.commandTimeout);
        if (!greeting.isPositive()) {
            throw new SessionFailure("host " + who() + " refused to talk to me: " + greeting.oneLine(), greeting,
                    "4.3.0", null);
        }
        ehlo();
        boolean offered = extensions.contains("STARTTLS");
        if (settings.tls == RelayTls.REQUIRED && !offered) {
            throw new SessionFailure("TLS is required, but was not offered by host " + who(), null, "4.7.4", null);
        }
        if (offered && settings.tls != RelayTls.DISABLED) {
            startTls(settings.tls == RelayTls.REQUIRED);
        }
        if (settings.authUser != null) {
            authenticate();
        }
    }

    private void ehlo() throws IOException, SessionFailure {
        extensions.clear();
        authMechanisms.clear();
        sizeLimit = 0;
        Reply r = command("EHLO " + settings.heloName);
        if (!r.isPositive()) {
            Reply helo = command("HELO " + settings.heloName);
            if (!helo.isPositive()) {
                throw new SessionFailure("host " + who() + " refused HELO: " + helo.oneLine(), helo, "4.3.0", null);
            }
            return;
        }
        for (int i = 1; i < r.lines.size(); i++) {
            String l = r.lines.get(i);
            String kw = l.length() > 4 ? l.substring(4).trim() : "";
            String[] parts = kw.split(" +");
            String name = parts[0].toUpperCase(Locale.ROOT);
            extensions.add(name);
            if (name.equals("SIZE") && parts.length > 1) {
                try {
                    sizeLimit = Long.parseLong(parts[1]);
                } catch (NumberFormatException ignored) {
                    sizeLimit = 0;
                }
            } else if (name.equals("AUTH")) {
                for (int j = 1; j < parts.length; j++) {
                    authMechanisms.add(parts[j].toUpperCase(Locale.ROOT));
                }
            }
        }
    }

    private void startTls(boolean verify) throws IOException, SessionFailure {
        Reply r = command("STARTTLS");
        if (r.code != 220) {
            if (verify) {
                throw new SessionFailure("TLS is required, but host " + who() + " refused STARTTLS: " + r.oneLine(), r,
                        "4.7.4", null);
            }
            return; // opportunistic: go on in plaintext, as the server said no
        }
        if (ipos < ilen) {
            // bytes after the 220 were sent before the handshake: a STARTTLS injection attempt (CVE-2011-0411 class)
            throw new SessionFailure("host " + who() + " sent data after its STARTTLS reply; not using it", r,
                    "4.7.0", null);
        }
        try {
            SSLSocket ssl = (SSLSocket) (verify ? settings.verifying : settings.opportunistic).getSocketFactory()
                    .createSocket(socket, remoteHost, remoteAddress.getPort(), true);
            ssl.setUseClientMode(true);
            SSLParameters p = ssl.getSSLParameters();
            List<String> protocols = new ArrayList<>();
            for (String proto : TlsConfig.PROTOCOLS) {
                if (List.of(ssl.getSupportedProtocols()).contains(proto)) {
                    protocols.add(proto);
                }
            }
            p.setProtocols(protocols.toArray(new String[0]));
            if (verify) {
                p.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the host
            }
            if (isDnsName(remoteHost)) {
                p.setServerNames(List.of(new SNIHostName(remoteHost)));
            }
            ssl.setSSLParameters(p);
            setDeadline(settings.commandTimeout);
            ssl.startHandshake();
            clearDeadline();
            socket = ssl;
            soTimeout = -1;
            streams();
            tls = new TlsInfo(ssl.getSession().getProtocol(), ssl.getSession().getCipherSuite());
        } catch (SSLHandshakeException e) {
            throw new SessionFailure((verify ? "server certificate not verified" : "TLS handshake failed") + " for "
                    + who() + ": " + Text.describe(e), null, "4.7.5", e);
        } catch (IOException e) {
            throw new SessionFailure("TLS handshake with " + who() + " failed: " + Text.describe(e), null, "4.7.5", e);
        }
        ehlo();
    }

    private void authenticate() throws IOException, SessionFailure {
        if (tls == null && !settings.allowInsecureAuth) {
            throw new SessionFailure("not sending the AUTH password to " + who() + " without TLS (it offered no "
                    + "STARTTLS)", null, "4.7.0", null);
        }
        String user = settings.authUser;
        String pw = new String(settings.authPassword);
        Reply r;
        if (authMechanisms.contains("PLAIN")) {
            String token = Base64.getEncoder().encodeToString(("\0" + user + "\0" + pw).getBytes(StandardCharsets.UTF_8));
            r = command("AUTH PLAIN " + token);
        } else if (authMechanisms.contains("LOGIN")) {
            r = command("AUTH LOGIN");
            if (r.code == 334) {
                r = command(Base64.getEncoder().encodeToString(user.getBytes(StandardCharsets.UTF_8)));
            }
            if (r.code == 334) {
                r = command(Base64.getEncoder().encodeToString(pw.getBytes(StandardCharsets.UTF_8)));
            }
        } else {
            throw new SessionFailure("host " + who() + " offers no AUTH mechanism mailkit supports (PLAIN, LOGIN)"
                    + (authMechanisms.isEmpty() ? "; it offers no AUTH at all" : ": " + authMechanisms), null,
                    "4.7.0", null);
        }
        if (r.code != 235) {
            throw new SessionFailure("SASL authentication failed; server " + who() + " said: " + r.oneLine(), r,
                    "4.7.0", null);
        }
    }

    /**
     * Sends one message to the given recipients and reports each recipient's outcome. The connection stays usable
     * afterwards unless {@link #isUsable()} says otherwise.
     */
    public List<Outcome> send(StoredMessage m, List<MailAddress> rcpts, QueueStore store) {
        transactions++;
        lostBeforeReply = false;
        List<Outcome> results = new ArrayList<>(rcpts.size());
        boolean utf8 = m.needsSmtpUtf8;
        if (utf8 && !extensions.contains("SMTPUTF8")) {
            for (MailAddress r : rcpts) {
                results.add(outcome(r, Outcome.Kind.BOUNCED, null, "5.6.7", "SMTPUTF8 is required, but was not offered by "
                        + "host " + who()));
            }
            return results;
        }
        if (sizeLimit > 0 && m.contentLength > sizeLimit) {
            for (MailAddress r : rcpts) {
                results.add(outcome(r, Outcome.Kind.BOUNCED, null, "5.3.4", "message size " + m.contentLength
                        + " exceeds size limit " + sizeLimit + " of host " + who()));
            }
            return results;
        }
        StringBuilder mail = new StringBuilder("MAIL FROM:<").append(m.reversePath == null ? "" : m.reversePath)
                .append('>');
        if (extensions.contains("SIZE")) {
            mail.append(" SIZE=").append(m.contentLength);
        }
        if ("8BITMIME".equalsIgnoreCase(m.mailParameters.get("BODY")) && extensions.contains("8BITMIME")) {
            mail.append(" BODY=8BITMIME");
        }
        if (utf8) {
            mail.append(" SMTPUTF8");
        }
        boolean dsn = extensions.contains("DSN");
        if (dsn) { // RFC 3461: the remote server takes over reporting what the sender asked for
            String ret = m.mailParameters.get("RET");
            String envid = m.mailParameters.get("ENVID");
            if (ret != null) {
                mail.append(" RET=").append(ret);
            }
            if (envid != null) {
                mail.append(" ENVID=").append(envid);
            }
        }
        String stage = "MAIL FROM";
        Reply[] rcptReplies = new Reply[rcpts.size()];
        boolean dataSent = false;
        try {
            Reply mailReply;
            Reply dataReply = null;
            boolean pipelining = extensions.contains("PIPELINING");
            if (pipelining) {
                setDeadline(settings.commandTimeout);
                write(mail.toString());
                for (MailAddress r : rcpts) {
                    write(rcptLine(m, r, dsn));
                }
                write("DATA");
                out.flush();
                mailReply = readReply(settings.commandTimeout);
                stage = "RCPT TO";
                for (int i = 0; i < rcpts.size(); i++) {
                    rcptReplies[i] = readReply(settings.commandTimeout);
                }
                stage = "DATA";
                dataReply = readReply(settings.commandTimeout);
            } else {
                mailReply = command(mail.toString());
                if (mailReply.isPositive()) {
                    stage = "RCPT TO";
                    for (int i = 0; i < rcpts.size(); i++) {
                        rcptReplies[i] = command(rcptLine(m, rcpts.get(i), dsn));
                    }
                }
            }
            if (!mailReply.isPositive()) {
                for (MailAddress r : rcpts) {
                    results.add(fromReply(r, mailReply, "MAIL FROM"));
                }
                if (dataReply != null && dataReply.code == 354) {
                    broken = true; // the server wants content it should not: do not feed it anything
                    return results;
                }
                reset();
                return results;
            }
            List<Integer> accepted = new ArrayList<>();
            for (int i = 0; i < rcpts.size(); i++) {
                if (rcptReplies[i].isPositive()) {
                    accepted.add(i);
                }
            }
            if (accepted.isEmpty()) {
                for (int i = 0; i < rcpts.size(); i++) {
                    results.add(fromReply(rcpts.get(i), rcptReplies[i], "RCPT TO"));
                }
                if (dataReply != null && dataReply.code == 354) {
                    broken = true;
                    return results;
                }
                reset();
                return results;
            }
            if (dataReply == null) {
                stage = "DATA";
                dataReply = command("DATA");
            }
            Reply finalReply;
            if (dataReply.code != 354) {
                finalReply = dataReply;
                reset();
            } else {
                stage = "end of DATA";
                setDeadline(settings.dataTimeout);
                try (InputStream content = store.content(m)) {
                    CrlfOutputStream data = new CrlfOutputStream(out, true);
                    if (dataBuffer == null) {
                        dataBuffer = new byte[16 * 1024];
                    }
                    byte[] buf = dataBuffer;
                    int n;
                    while ((n = content.read(buf)) > 0) {
                        data.write(buf, 0, n);
                        setDeadline(settings.dataTimeout);
                    }
                    data.endData();
                    out.flush();
                    dataSent = true;
                }
                finalReply = readReply(settings.dataTimeout);
            }
            for (int i = 0; i < rcpts.size(); i++) {
                if (rcptReplies[i].isPositive()) {
                    Outcome o = fromReply(rcpts.get(i), finalReply, stage);
                    results.add(dsn && o.kind == Outcome.Kind.DELIVERED ? o.withDsnPassedOn() : o);
                } else {
                    results.add(fromReply(rcpts.get(i), rcptReplies[i], "RCPT TO"));
                }
            }
            return results;
        } catch (IOException e) {
            broken = true;
            lostBeforeReply = stage.equals("MAIL FROM");
            boolean late = e instanceof SocketTimeoutException || timedOut || deadlinePassed();
            clearDeadline();
            String why = late
                    ? "conversation with " + who() + " timed out while sending " + stage
                    : "lost connection with " + who() + " while sending " + stage + ": " + Text.describe(e);
            if (e instanceof java.nio.file.NoSuchFileException) {
                why = "the message was removed from the queue during delivery";
            }
            if (dataSent) {
                why += " (the message may have been delivered; it will be sent again)";
            }
            results.clear();
            for (int i = 0; i < rcpts.size(); i++) {
                if (rcptReplies[i] != null && !rcptReplies[i].isPositive()) {
                    results.add(fromReply(rcpts.get(i), rcptReplies[i], "RCPT TO"));
                } else {
                    results.add(outcome(rcpts.get(i), Outcome.Kind.DEFERRED, null, "4.4.2", why));
                }
            }
            return results;
        } finally {
            clearDeadline();
        }
    }

    /** RCPT TO, with the recipient's NOTIFY and ORCPT when the server offers DSN. */
    private static String rcptLine(StoredMessage m, MailAddress r, boolean dsn) {
        StringBuilder sb = new StringBuilder("RCPT TO:<").append(r).append('>');
        if (dsn) {
            String notify = m.notify(r);
            String orcpt = m.originalRecipient(r);
            if (notify != null) {
                sb.append(" NOTIFY=").append(notify);
            }
            if (orcpt != null) {
                sb.append(" ORCPT=").append(orcpt);
            }
        }
        return sb.toString();
    }

    private void reset() {
        try {
            Reply r = command("RSET");
            if (!r.isPositive()) {
                broken = true;
            }
        } catch (IOException e) {
            broken = true;
        }
    }

    private Outcome fromReply(MailAddress r, Reply reply, String stage) {
        Outcome.Kind kind = reply.isPositive() ? Outcome.Kind.DELIVERED
                : reply.isTransient() ? Outcome.Kind.DEFERRED : Outcome.Kind.BOUNCED;
        String detail = kind == Outcome.Kind.DELIVERED
                ? reply.oneLine()
                : "host " + who() + " said: " + reply.oneLine() + " (in reply to " + stage + " command)";
        return new Outcome(r, kind, reply, reply.status, detail, remoteHost, remoteAddress, tls);
    }

    private Outcome outcome(MailAddress r, Outcome.Kind kind, Reply reply, String status, String detail) {
        return new Outcome(r, kind, reply, status, detail, remoteHost, remoteAddress, tls);
    }

    /**
     * Whether the last transaction failed because the connection was gone before the server answered anything in it
     * (typically a reused connection the server had closed): then it may be repeated on a new connection.
     */
    public boolean lostBeforeReply() {
        return lostBeforeReply;
    }

    /** The number of transactions started on this connection. */
    public int transactions() {
        return transactions;
    }

    /** Whether another transaction may use this connection. */
    public boolean isUsable(Duration maxAge, int maxTransactions) {
        return !broken && socket != null && !socket.isClosed() && transactions < maxTransactions
                && System.nanoTime() - openedNanos < maxAge.toNanos();
    }

    public String remoteHost() {
        return remoteHost;
    }

    public InetSocketAddress remoteAddress() {
        return remoteAddress;
    }

    public TlsInfo tls() {
        return tls;
    }

    /** Says QUIT (briefly waiting for the reply) and closes. */
    public void quit() {
        if (socket != null && !socket.isClosed() && !broken) {
            try {
                setDeadline(Duration.ofSeconds(2));
                write("QUIT");
                out.flush();
                readReply(Duration.ofSeconds(2));
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        abort();
    }

    @Override
    public void close() {
        quit();
    }

    /** Closes the socket at once. */
    void abort() {
        watchdog.unwatch(this);
        Socket s = socket;
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // already gone
            }
        }
    }

    void checkDeadline(long now) {
        long d = deadline;
        if (d != 0 && now - d > 0) {
            broken = true;
            timedOut = true;
            abort();
        }
    }

    private boolean deadlinePassed() {
        long d = deadline;
        return d != 0 && System.nanoTime() - d > 0;
    }

    private void setDeadline(Duration timeout) {
        deadline = System.nanoTime() + timeout.toNanos() + 1;
    }

    private void clearDeadline() {
        deadline = 0;
    }

    private String who() {
        return remoteHost + "[" + remoteAddress.getAddress().getHostAddress() + "]:" + remoteAddress.getPort();
    }

    private Reply command(String line) throws IOException {
        setDeadline(settings.commandTimeout);
        write(line);
        out.flush();
        return readReply(settings.commandTimeout);
    }

    private void write(String line) throws IOException {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\r' || c == '\n') {
                throw new IllegalArgumentException("an SMTP command must not contain CR or LF");
            }
        }
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    private Reply readReply(Duration timeout) throws IOException {
        int t = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        if (t != soTimeout) {
            socket.setSoTimeout(t);
            soTimeout = t;
        }
        List<String> lines = new ArrayList<>();
        int code = -1;
        while (true) {
            String l = readLine();
            if (l.length() < 3 || !Character.isDigit(l.charAt(0)) || !Character.isDigit(l.charAt(1))
                    || !Character.isDigit(l.charAt(2)) || l.charAt(0) < '2' || l.charAt(0) > '5'
                    || (l.length() > 3 && l.charAt(3) != ' ' && l.charAt(3) != '-')) {
                throw new IOException("malformed reply from " + who() + ": '" + Text.asciiLine(l, 100) + "'");
            }
            int c = Integer.parseInt(l.substring(0, 3));
            if (code >= 0 && c != code) {
                throw new IOException("inconsistent multi-line reply from " + who() + " (" + code + " then " + c + ")");
            }
            code = c;
            lines.add(l);
            if (l.length() == 3 || l.charAt(3) == ' ') {
                return new Reply(code, lines);
            }
            if (lines.size() >= MAX_LINES) {
                throw new IOException("reply from " + who() + " has more than " + MAX_LINES + " lines");
            }
        }
    }

    /** One reply line, without CRLF, control characters escaped; a line longer than 4096 bytes is cut. */
    private String readLine() throws IOException {
        byte[] line = new byte[256];
        int n = 0;
        long total = 0;
        while (true) {
            if (ipos >= ilen) {
                ilen = rawIn.read(ibuf, 0, ibuf.length);
                ipos = 0;
                if (ilen < 0) {
                    ilen = 0;
                    throw new IOException("connection closed by " + who());
                }
            }
            byte b = ibuf[ipos++];
            if (b == '\n') {
                break;
            }
            if (++total > 64 * 1024) {
                throw new IOException("reply line from " + who() + " longer than 64 KiB");
            }
            if (n < MAX_LINE) {
                if (n == line.length) {
                    line = java.util.Arrays.copyOf(line, Math.min(MAX_LINE, n * 2));
                }
                line[n++] = b;
            }
        }
        if (n > 0 && line[n - 1] == '\r') {
            n--;
        }
        return Text.escapeControls(new String(line, 0, n, StandardCharsets.UTF_8));
    }

    private static boolean isDnsName(String host) {
        return !host.isEmpty() && host.indexOf(':') < 0 && !host.matches("[0-9.]+") && host.contains(".")
                || host.equals("localhost");
    }

    @Override
    public String toString() {
        return "SmtpConnection{" + who() + (tls != null ? " " + tls : "") + "}";
    }
}
