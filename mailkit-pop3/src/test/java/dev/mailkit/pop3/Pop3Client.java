package dev.mailkit.pop3;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A byte-exact POP3 test client: sends exactly the bytes given and reads status lines, multi-line responses (with or
 * without un-stuffing) and raw bytes, with a read timeout.
 */
final class Pop3Client implements AutoCloseable {
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    final String greeting;

    private Pop3Client(Socket socket) throws IOException {
        use(socket);
        this.greeting = readLine();
    }

    /** Connects to 127.0.0.1:port and reads the greeting. */
    static Pop3Client connect(int port) throws IOException {
        return new Pop3Client(plain(port, Duration.ofSeconds(10)));
    }

    /** Connects with the given read timeout. */
    static Pop3Client connect(int port, Duration timeout) throws IOException {
        return new Pop3Client(plain(port, timeout));
    }

    /** Connects with implicit TLS. */
    static Pop3Client connectTls(int port, SSLContext ctx) throws IOException {
        Socket raw = plain(port, Duration.ofSeconds(10));
        return new Pop3Client(handshake(raw, ctx));
    }

    private static Socket plain(int port, Duration timeout) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        s.setSoTimeout((int) timeout.toMillis());
        return s;
    }

    private static SSLSocket handshake(Socket raw, SSLContext ctx) throws IOException {
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(raw, "localhost", raw.getPort(), true);
        SSLParameters p = s.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        s.setSSLParameters(p);
        s.setUseClientMode(true);
        s.startHandshake();
        return s;
    }

    private void use(Socket s) throws IOException {
        socket = s;
        in = new BufferedInputStream(s.getInputStream(), 65536);
        out = s.getOutputStream();
    }

    /** Upgrades to TLS (after +OK to STLS). Bytes already buffered from the plaintext phase are lost. */
    Pop3Client startTls(SSLContext ctx) throws IOException {
        use(handshake(socket, ctx));
        return this;
    }

    /** Sends raw bytes (ISO-8859-1: chars 0..255 are bytes). */
    Pop3Client send(String raw) throws IOException {
        return sendBytes(raw.getBytes(StandardCharsets.ISO_8859_1));
    }

    Pop3Client sendBytes(byte[] b) throws IOException {
        out.write(b);
        out.flush();
        return this;
    }

    /** Sends a command line (CRLF added) and returns the status line. */
    String cmd(String line) throws IOException {
        send(line + "\r\n");
        return readLine();
    }

    /** Logs in with USER/PASS and returns the PASS reply. */
    String login(String user, String password) throws IOException {
        String r = cmd("USER " + user);
        if (!r.startsWith("+OK")) {
            return r;
        }
        return cmd("PASS " + password);
    }

    /** Reads one line without its CRLF (null at end of stream). Fails if the line does not end with CRLF. */
    String readLine() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            b.write(c);
            if (c == '\n') {
                byte[] line = b.toByteArray();
                if (line.length < 2 || line[line.length - 2] != '\r') {
                    throw new AssertionError("line without CRLF: " + b.toString(StandardCharsets.ISO_8859_1));
                }
                return new String(line, 0, line.length - 2, StandardCharsets.UTF_8);
            }
        }
        return b.size() == 0 ? null : b.toString(StandardCharsets.UTF_8);
    }

    /**
     * Reads a multi-line response body into a digest, un-stuffed, without keeping it; returns the message size
     * (CRLF line ends included, the terminating dot line not).
     */
    long readMultilineInto(java.security.MessageDigest digest) throws IOException {
        long total = 0;
        byte[] buf = new byte[8192];
        while (true) {
            int n = 0;
            int c;
            while ((c = in.read()) != -1) {
                if (n == buf.length) {
                    buf = java.util.Arrays.copyOf(buf, n * 2);
                }
                buf[n++] = (byte) c;
                if (c == '\n') {
                    break;
                }
            }
            if (c == -1) {
                throw new AssertionError("connection closed inside a multi-line response");
            }
            if (n == 3 && buf[0] == '.' && buf[1] == '\r') {
                return total;
            }
            int off = buf[0] == '.' ? 1 : 0;
            digest.update(buf, off, n - off);
            total += n - off;
        }
    }

    /** Reads everything until the server closes the connection. */
    byte[] readToEnd() throws IOException {
        return in.readAllBytes();
    }

    /** Reads the lines of a multi-line response up to the terminating dot, un-stuffed. */
    List<String> multiline() throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String l = readLine();
            if (l == null) {
                throw new AssertionError("connection closed inside a multi-line response");
            }
            if (l.equals(".")) {
                return lines;
            }
            lines.add(l.startsWith(".") ? l.substring(1) : l);
        }
    }

    /** Reads the raw bytes of a multi-line response body, still stuffed, up to and including CRLF.CRLF. */
    byte[] rawMultiline() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        // the body starts at a line start: the terminator may be the very first line
        int state = 2; // 0 nothing, 1 CR, 2 CRLF (line start), 3 CRLF., 4 CRLF.CR
        int c;
        while ((c = in.read()) != -1) {
            b.write(c);
            if (c == '\r') {
                state = state == 3 ? 4 : 1;
            } else if (c == '\n') {
                if (state == 4) {
                    return b.toByteArray();
                }
                state = state == 1 ? 2 : 0;
            } else if (c == '.' && state == 2) {
                state = 3;
            } else {
                state = 0;
            }
        }
        throw new AssertionError("connection closed inside a multi-line response: "
                + b.toString(StandardCharsets.ISO_8859_1));
    }

    /** Un-stuffs a raw multi-line body (as read by {@link #rawMultiline}) into the message bytes. */
    static byte[] unstuff(byte[] raw) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(raw.length);
        boolean lineStart = true;
        int end = raw.length - 3; // drop ".\r\n"
        for (int i = 0; i < end; i++) {
            if (lineStart && raw[i] == '.') {
                lineStart = false;
                continue;
            }
            b.write(raw[i]);
            lineStart = raw[i] == '\n';
        }
        return b.toByteArray();
    }

    /** Whether the server closed the connection (reads until EOF or timeout). */
    boolean isClosedByServer() {
        try {
            return in.read() == -1;
        } catch (IOException e) {
            return e.getMessage() != null && e.getMessage().contains("reset");
        }
    }

    Socket socket() {
        return socket;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
