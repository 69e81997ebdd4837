package dev.mailkit.imap.testing;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One IMAP session of a differential test: Dovecot's {@code imap} process (pre-authenticated) or a socket to mailkit
 * (logged in), and the script that both are given: SELECT INBOX, then each command, every answer normalised with
 * {@link ImapTranscript}. Not thread-safe: one test thread drives a session.
 */
public final class DifferentialSession implements AutoCloseable {
    private static final Pattern UIDVALIDITY = Pattern.compile("\\[UIDVALIDITY (\\d+)]");
    private static final Pattern HIGHESTMODSEQ = Pattern.compile("\\[HIGHESTMODSEQ (\\d+)]");

    private final ImapConversation conversation;
    private final AutoCloseable connection;

    private DifferentialSession(ImapConversation conversation, AutoCloseable connection) {
        this.conversation = conversation;
        this.connection = connection;
    }

    /** Starts Dovecot over the Maildir at {@code home} (with {@code -o} settings) and reads its PREAUTH greeting. */
    static DifferentialSession dovecot(Path home, List<String> settings) throws IOException {
        Process p = DovecotImap.start(home, settings);
        DifferentialSession s = new DifferentialSession(
                new ImapConversation(p.getInputStream(), p.getOutputStream()), p::destroyForcibly);
        try {
            s.conversation.response(); // PREAUTH
        } catch (IOException | RuntimeException e) {
            p.destroyForcibly();
            throw e;
        }
        return s;
    }

    /** Connects to mailkit's IMAP port on loopback, reads the greeting and logs in. */
    static DifferentialSession mailkit(int port, String user, String password) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        try {
            socket.setSoTimeout(20_000);
            DifferentialSession s = new DifferentialSession(
                    new ImapConversation(socket.getInputStream(), socket.getOutputStream()), socket);
            s.conversation.response();
            s.conversation.command("l", "LOGIN " + user + " " + password);
            return s;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** The session's conversation, for a test that sends its own commands (for example a second, watching one). */
    public ImapConversation conversation() {
        return conversation;
    }

    /**
     * SELECT INBOX, then each command (tagged {@code cN}, N its index) with {@code $UV} replaced by the UIDVALIDITY
     * this server announced and {@code $HMS} by the first HIGHESTMODSEQ it announced ({@code 1} before that); the
     * answers normalised, each command's preceded by a line {@code ### command}.
     */
    public List<String> run(List<String> commands) throws IOException {
        List<String> out = new ArrayList<>();
        byte[] select = conversation.command("s", "SELECT INBOX");
        String uv = first(UIDVALIDITY, select);
        String hms = null;
        out.addAll(ImapTranscript.normalize(select));
        for (int i = 0; i < commands.size(); i++) {
            String cmd = commands.get(i);
            out.add("### " + cmd);
            String sent = cmd.replace("$HMS", hms == null ? "1" : hms);
            byte[] r = conversation.command("c" + i, uv == null ? sent : sent.replace("$UV", uv));
            if (hms == null) {
                hms = first(HIGHESTMODSEQ, r);
            }
            out.addAll(ImapTranscript.normalize(r));
        }
        return out;
    }

    private static String first(Pattern p, byte[] response) {
        Matcher m = p.matcher(new String(response, StandardCharsets.UTF_8));
        return m.find() ? m.group(1) : null;
    }

    /** Ends Dovecot's process or closes the socket. */
    @Override
    public void close() throws IOException {
        try {
            connection.close();
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }
}
