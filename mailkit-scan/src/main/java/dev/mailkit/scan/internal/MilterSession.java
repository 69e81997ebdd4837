package dev.mailkit.scan.internal;

import dev.mailkit.core.MessageSource;
import dev.mailkit.core.MessageSpool;
import dev.mailkit.core.SmtpReply;
import dev.mailkit.core.mime.CrlfOutputStream;
import dev.mailkit.scan.HeaderEdit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One conversation with a milter, mailkit as the MTA side (the Sendmail milter protocol, version 6, as libmilter
 * speaks it): option negotiation, then connect, HELO, MAIL, RCPT, DATA, the header fields, the end of the header,
 * the body in chunks, and the end of the message with the actions the milter asks for. Steps the milter said it
 * does not want are not sent; steps it said it does not answer are not waited for. Every exchange must finish within
 * the timeout. Not thread-safe: one SMTP session uses it.
 */
public final class MilterSession implements Closeable {
    static final int VERSION = 6;
    static final int ACTIONS = 0x01 | 0x02 | 0x04 | 0x08 | 0x10 | 0x20; // headers, body, rcpts, change hdrs, quarantine
    static final int P_NOCONNECT = 0x1;
    static final int P_NOHELO = 0x2;
    static final int P_NOMAIL = 0x4;
    static final int P_NORCPT = 0x8;
    static final int P_NOBODY = 0x10;
    static final int P_NOHDRS = 0x20;
    static final int P_NOEOH = 0x40;
    static final int P_NR_HDR = 0x80;
    static final int P_NODATA = 0x200;
    static final int P_SKIP = 0x400;
    static final int P_NR_CONN = 0x1000;
    static final int P_NR_HELO = 0x2000;
    static final int P_NR_MAIL = 0x4000;
    static final int P_NR_RCPT = 0x8000;
    static final int P_NR_DATA = 0x10000;
    static final int P_NR_EOH = 0x40000;
    static final int P_NR_BODY = 0x80000;
    static final int P_HDR_LEADSPC = 0x100000;
    /** Every step-skipping and no-reply flag this side honours (not RCPT_REJ: rejected recipients are not sent). */
    static final int OFFERED = 0x1FF7FF;
    private static final int MAX_PACKET = 1024 * 1024;
    private static final int CHUNK = 65535;

    private final Conn conn;
    private final Duration timeout;
    private final String name;
    private int actions;
    private int protocol;

    /** What a milter said to one step. */
    public enum Kind {
        /** Go on. */
        CONTINUE,
        /** Accept the message (or, at connect and HELO, the whole session) without further questions. */
        ACCEPT,
        /** Refuse for good. */
        REJECT,
        /** Refuse for now. */
        TEMPFAIL,
        /** Accept and deliver to nobody. */
        DISCARD
    }

    /** A milter's answer to a step: the kind, and for a refusal the reply to give. */
    public record Reply(Kind kind, SmtpReply reply) {
        static final Reply CONTINUE = new Reply(Kind.CONTINUE, null);
    }

    /** What the milter decided at the end of the message, with everything it asked to change. */
    public record EndOfMessage(Reply reply, List<HeaderEdit> edits, MessageSource body, List<String> added,
                               List<String> deleted, String quarantine) {
    }

    private MilterSession(Conn conn, Duration timeout, String name) {
        this.conn = conn;
        this.timeout = timeout;
        this.name = name;
    }

    /** Connects and negotiates the options. */
    public static MilterSession open(Endpoint endpoint, Duration timeout, String name) throws IOException {
        Conn c = Conn.open(endpoint, timeout);
        MilterSession s = new MilterSession(c, timeout, name);
        try {
            s.negotiate();
            return s;
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    private void negotiate() throws IOException {
        conn.deadlineIn(timeout);
        send('O', u32(VERSION), u32(ACTIONS), u32(OFFERED));
        Packet p = read();
        if (p.cmd != 'O' || p.data.length < 12) {
            throw new ScanProtocolException(name + " did not negotiate (answered '" + Texts.printable(String.valueOf(
                    (char) p.cmd), 4) + "')");
        }
        int version = int32(p.data, 0);
        if (version < 2) {
            throw new ScanProtocolException(name + " speaks milter protocol version " + version);
        }
        actions = int32(p.data, 4) & ACTIONS;
        protocol = int32(p.data, 8) & OFFERED;
    }

    /** The client connected (sent with the connect macros). */
    public Reply connect(String hostName, InetSocketAddress client, Map<String, String> macros) throws IOException {
        if (has(P_NOCONNECT)) {
            return Reply.CONTINUE;
        }
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(cstr(hostName));
        if (client == null || client.getAddress() == null) {
            b.write('U');
        } else {
            b.write(client.getAddress() instanceof Inet6Address ? '6' : '4');
            b.write(client.getPort() >>> 8);
            b.write(client.getPort());
            b.writeBytes(cstr(client.getAddress().getHostAddress()));
        }
        return step('C', macros, b.toByteArray(), has(P_NR_CONN));
    }

    /** HELO or EHLO. */
    public Reply helo(String helo, Map<String, String> macros) throws IOException {
        if (has(P_NOHELO)) {
            return Reply.CONTINUE;
        }
        return step('H', macros, cstr(helo), has(P_NR_HELO));
    }

    /** MAIL FROM with its ESMTP arguments ({@code KEY=VALUE}). */
    public Reply mail(String reversePath, List<String> args, Map<String, String> macros) throws IOException {
        if (has(P_NOMAIL)) {
            return Reply.CONTINUE;
        }
        return step('M', macros, args("<" + reversePath + ">", args), has(P_NR_MAIL));
    }

    /** RCPT TO with its ESMTP arguments. */
    public Reply rcpt(String recipient, List<String> args, Map<String, String> macros) throws IOException {
        if (has(P_NORCPT)) {
            return Reply.CONTINUE;
        }
        return step('R', macros, args("<" + recipient + ">", args), has(P_NR_RCPT));
    }

    /** Drops the transaction in progress (RSET, or a transaction that ended before DATA). */
    public void abort() throws IOException {
        conn.deadlineIn(timeout);
        send('A');
    }

    /** Ends the conversation politely. */
    public void quit() {
        try {
            conn.deadlineIn(Duration.ofSeconds(1));
            send('Q');
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /**
     * DATA, the header fields, the end of the header, the body, and the end of the message with the actions asked
     * for.
     *
     * @param spool   where a replaced body is written
     * @param maxBody the longest replaced body taken
     */
    public EndOfMessage message(MessageSource message, Map<String, String> dataMacros, Map<String, String> eomMacros,
                                MessageSpool spool, long maxBody) throws IOException {
        if (!has(P_NODATA)) {
            Reply r = step('T', dataMacros, new byte[0], has(P_NR_DATA));
            if (r.kind != Kind.CONTINUE) {
                return new EndOfMessage(r, List.of(), null, List.of(), List.of(), null);
            }
        }
        try (InputStream in = new java.io.BufferedInputStream(message.openStream(), 64 * 1024)) {
            MessageHeader header = MessageHeader.read(in, MessageHeader.MAX_HEADER);
            if (!has(P_NOHDRS)) {
                for (MessageHeader.Field f : header.fields()) {
                    Reply r = step('L', Map.of(), concat(cstr(f.name()), cstr(milterValue(f.value()))), has(P_NR_HDR));
                    if (r.kind != Kind.CONTINUE) {
                        return new EndOfMessage(r, List.of(), null, List.of(), List.of(), null);
                    }
                }
            }
            if (!has(P_NOEOH)) {
                Reply r = step('N', Map.of(), new byte[0], has(P_NR_EOH));
                if (r.kind != Kind.CONTINUE) {
                    return new EndOfMessage(r, List.of(), null, List.of(), List.of(), null);
                }
            }
            if (!has(P_NOBODY)) {
                byte[] chunk = new byte[CHUNK];
                int n;
                while ((n = in.readNBytes(chunk, 0, CHUNK)) > 0) {
                    conn.deadlineIn(timeout);
                    send('B', java.util.Arrays.copyOf(chunk, n));
                    if (!has(P_NR_BODY)) {
                        Packet p = readAnswer();
                        if (p.cmd == 's') {
                            break; // the milter has seen enough of the body
                        }
                        Reply r = reply(p);
                        if (r.kind != Kind.CONTINUE) {
                            return new EndOfMessage(r, List.of(), null, List.of(), List.of(), null);
                        }
                    }
                }
            }
        }
        conn.deadlineIn(timeout);
        byte[] m = macros('E', eomMacros);
        byte[] e = packet('E');
        byte[] both = java.util.Arrays.copyOf(m, m.length + e.length);
        System.arraycopy(e, 0, both, m.length, e.length);
        conn.write(both);
        return endOfMessage(spool, maxBody);
    }

    private EndOfMessage endOfMessage(MessageSpool spool, long maxBody) throws IOException {
        List<HeaderEdit> edits = new ArrayList<>();
        List<String> added = new ArrayList<>();
        List<String> deleted = new ArrayList<>();
        String quarantine = null;
        MessageSpool.Writer body = null;
        CrlfOutputStream bodyOut = null;
        try {
            while (true) {
                Packet p = readAnswer();
                switch (p.cmd) {
                    case 'h', 'i', 'm' -> headerEdit(p, edits);
                    case '+', '2' -> recipient(p, 0x04, added, "add a recipient");
                    case '-' -> recipient(p, 0x08, deleted, "delete a recipient");
                    case 'q' -> {
                        if (allowed(0x20, "quarantine")) {
                            quarantine = Texts.printable(string(p.data, 0), 200);
                        }
                    }
                    case 'b' -> {
                        if (allowed(0x02, "replace the body")) {
                            if (body == null) {
                                body = spool.newWriter();
                                bodyOut = new CrlfOutputStream(body, false);
                            }
                            if (body.size() + p.data.length > maxBody) {
                                throw new ScanProtocolException(name + " sent a replacement body longer than "
                                        + maxBody + " bytes");
                            }
                            bodyOut.write(p.data);
                        }
                    }
                    case 'e' -> Log.LOG.warn("{} asked to change the sender, which mailkit does not offer; ignored",
                            name);
                    default -> {
                        Reply r = reply(p);
                        if (r.kind == Kind.CONTINUE) {
                            r = new Reply(Kind.ACCEPT, null); // continue at the end of the message means accept
                        }
                        MessageSource replaced = null;
                        if (body != null) {
                            bodyOut.finishContent();
                            bodyOut.flush();
                            replaced = body.finish();
                            body = null;
                        }
                        return new EndOfMessage(r, List.copyOf(edits), replaced, List.copyOf(added),
                                List.copyOf(deleted), quarantine);
                    }
                }
                if (edits.size() > 1000 || added.size() + deleted.size() > 1000) {
                    throw new ScanProtocolException(name + " asked for more than 1000 changes");
                }
            }
        } finally {
            if (body != null) {
                body.abort();
            }
        }
    }

    private void headerEdit(Packet p, List<HeaderEdit> edits) throws ScanProtocolException {
        int need = p.cmd == 'h' ? 0x01 : 0x10;
        if (p.cmd == 'i') {
            need = 0x01;
        }
        if (!allowed(need, "change the header")) {
            return;
        }
        int off = p.cmd == 'h' ? 0 : 4;
        if (p.data.length < off + 2) {
            throw new ScanProtocolException(name + " sent a short header action");
        }
        int index = off == 4 ? int32(p.data, 0) : 0;
        String n = string(p.data, off);
        int valueAt = off + utf8Length(p.data, off) + 1;
        String v = valueAt <= p.data.length ? string(p.data, valueAt) : "";
        try {
            if (p.cmd == 'h') {
                edits.add(HeaderEdit.add(n, v));
            } else if (p.cmd == 'i') {
                edits.add(HeaderEdit.insert(Math.max(0, index), n, v));
            } else if (v.isEmpty()) {
                edits.add(HeaderEdit.remove(n, Math.max(1, index)));
            } else {
                edits.add(HeaderEdit.change(n, Math.max(1, index), v));
            }
        } catch (IllegalArgumentException e) {
            Log.LOG.warn("{} asked for a header change that is refused: {}", name, e.getMessage());
        }
    }

    private void recipient(Packet p, int need, List<String> into, String what) {
        if (allowed(need, what)) {
            String r = string(p.data, 0).trim();
            if (r.startsWith("<") && r.endsWith(">")) {
                r = r.substring(1, r.length() - 1);
            }
            into.add(r);
        }
    }

    private boolean allowed(int action, String what) {
        if ((actions & action) == 0) {
            Log.LOG.warn("{} asked to {} without negotiating it; ignored", name, what);
            return false;
        }
        return true;
    }

    private Reply step(char cmd, Map<String, String> macros, byte[] data, boolean noReply) throws IOException {
        conn.deadlineIn(timeout);
        byte[] m = macros(cmd, macros);
        byte[] c = packet(cmd, data);
        if (m.length == 0) {
            conn.write(c);
        } else { // the macros and their command in one write
            byte[] both = java.util.Arrays.copyOf(m, m.length + c.length);
            System.arraycopy(c, 0, both, m.length, c.length);
            conn.write(both);
        }
        if (noReply) {
            return Reply.CONTINUE;
        }
        return reply(readAnswer());
    }

    /** The macro packet for a command, or nothing. */
    private static byte[] macros(char cmd, Map<String, String> macros) {
        if (macros.isEmpty()) {
            return new byte[0];
        }
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(cmd);
        for (Map.Entry<String, String> e : macros.entrySet()) {
            if (e.getValue() != null) {
                b.writeBytes(cstr(e.getKey()));
                b.writeBytes(cstr(e.getValue()));
            }
        }
        return packet('D', b.toByteArray());
    }

    /** An answer, skipping progress reports (each gives the milter a fresh timeout). */
    private Packet readAnswer() throws IOException {
        while (true) {
            Packet p = read();
            if (p.cmd != 'p') {
                return p;
            }
            conn.deadlineIn(timeout);
        }
    }

    private Reply reply(Packet p) throws IOException {
        return switch (p.cmd) {
            case 'c' -> Reply.CONTINUE;
            case 'a' -> new Reply(Kind.ACCEPT, null);
            case 'r' -> new Reply(Kind.REJECT, SmtpReply.of(550, "5.7.1", "Command rejected"));
            case 't' -> new Reply(Kind.TEMPFAIL, SmtpReply.of(451, "4.7.1", "Service unavailable - try again later"));
            case 'd' -> new Reply(Kind.DISCARD, null);
            case 'y' -> replyCode(string(p.data, 0));
            case 'f', '4' -> throw new IOException(name + " gave up the connection");
            default -> throw new ScanProtocolException(name + " sent an unexpected answer '"
                    + Texts.printable(String.valueOf((char) p.cmd), 4) + "'");
        };
    }

    /** SMFIR_REPLYCODE: {@code "550 5.7.1 text"}; the text is made printable, the code checked. */
    static Reply replyCode(String text) throws ScanProtocolException {
        String t = Texts.printable(text, 300);
        if (t.length() < 3 || !t.substring(0, 3).chars().allMatch(Character::isDigit)) {
            throw new ScanProtocolException("a milter sent a bad reply code '" + Texts.printable(t, 40) + "'");
        }
        int code = Integer.parseInt(t.substring(0, 3));
        if (code < 400 || code > 599) {
            throw new ScanProtocolException("a milter sent reply code " + code + " (only 4xx and 5xx may be set)");
        }
        String rest = t.length() > 4 ? t.substring(4).trim() : "";
        String status = code / 100 + ".7.1";
        if (rest.matches("[45]\\.\\d{1,3}\\.\\d{1,3}( .*)?") && rest.charAt(0) == t.charAt(0)) {
            int sp = rest.indexOf(' ');
            status = sp < 0 ? rest : rest.substring(0, sp);
            rest = sp < 0 ? "" : rest.substring(sp + 1).trim();
        }
        if (rest.isEmpty()) {
            rest = code >= 500 ? "Command rejected" : "Try again later";
        }
        SmtpReply r = SmtpReply.of(code, status, rest);
        return new Reply(code >= 500 ? Kind.REJECT : Kind.TEMPFAIL, r);
    }

    private boolean has(int flag) {
        return (protocol & flag) != 0;
    }

    private record Packet(int cmd, byte[] data) {
    }

    private Packet read() throws IOException {
        byte[] len = conn.readExactly(4);
        int n = int32(len, 0);
        if (n < 1 || n > MAX_PACKET) {
            throw new ScanProtocolException(name + " sent a packet of " + n + " bytes");
        }
        byte[] all = conn.readExactly(n);
        return new Packet(all[0] & 0xff, java.util.Arrays.copyOfRange(all, 1, n));
    }

    private void send(char cmd, byte[]... parts) throws IOException {
        conn.write(packet(cmd, parts));
    }

    private static byte[] packet(char cmd, byte[]... parts) {
        int len = 1;
        for (byte[] p : parts) {
            len += p.length;
        }
        byte[] out = new byte[4 + len];
        out[0] = (byte) (len >>> 24);
        out[1] = (byte) (len >>> 16);
        out[2] = (byte) (len >>> 8);
        out[3] = (byte) len;
        out[4] = (byte) cmd;
        int pos = 5;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, pos, p.length);
            pos += p.length;
        }
        return out;
    }

    /** The header value as milters see it: folding as LF, without the leading space unless asked for. */
    private String milterValue(String raw) {
        String v = raw.replace("\r\n", "\n");
        if (!has(P_HDR_LEADSPC) && !v.isEmpty() && (v.charAt(0) == ' ' || v.charAt(0) == '\t')) {
            v = v.substring(1);
        }
        return v;
    }

    private static byte[] args(String first, List<String> rest) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(cstr(first));
        for (String a : rest) {
            b.writeBytes(cstr(a));
        }
        return b.toByteArray();
    }

    private static byte[] cstr(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = java.util.Arrays.copyOf(b, b.length + 1);
        for (int i = 0; i < b.length; i++) {
            if (out[i] == 0) {
                out[i] = ' ';
            }
        }
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] u32(int v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    private static int int32(byte[] b, int off) {
        return ((b[off] & 0xff) << 24) | ((b[off + 1] & 0xff) << 16) | ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
    }

    /** The NUL-terminated string at {@code off} (to the end if unterminated), decoded as UTF-8. */
    private static String string(byte[] b, int off) {
        int end = off;
        while (end < b.length && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }

    private static int utf8Length(byte[] b, int off) {
        int end = off;
        while (end < b.length && b[end] != 0) {
            end++;
        }
        return end - off;
    }

    @Override
    public void close() {
        conn.close();
    }

    /** The logger, created when first used. */
    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger(MilterSession.class);
    }
}
