package dev.mailkit.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A byte-exact line client for hostile-input tests: sends exactly the bytes given (bare LF, NUL, pipelined
 * commands in one segment) and reads replies with a timeout, so that a test can see what a server says to input no
 * well-behaved client library would send.
 */
public final class RawClient implements AutoCloseable {
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    /** Connects to localhost:port with a 10 s read timeout. */
    public RawClient(int port) throws IOException {
        this(port, Duration.ofSeconds(10));
    }

    /** Connects with the given read timeout. */
    public RawClient(int port, Duration timeout) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout((int) timeout.toMillis());
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** Sends bytes as they are (ISO-8859-1 maps chars 0..255 to bytes). */
    public RawClient send(String raw) throws IOException {
        return sendBytes(raw.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Sends UTF-8 text as it is. */
    public RawClient sendUtf8(String raw) throws IOException {
        return sendBytes(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends bytes. */
    public RawClient sendBytes(byte[] b) throws IOException {
        out.write(b);
        out.flush();
        return this;
    }

    /** Reads one line (without CRLF), or null at end of stream. */
    public String readLine() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                byte[] line = b.toByteArray();
                int len = line.length > 0 && line[line.length - 1] == '\r' ? line.length - 1 : line.length;
                return new String(line, 0, len, StandardCharsets.UTF_8);
            }
            b.write(c);
        }
        return b.size() == 0 ? null : b.toString(StandardCharsets.UTF_8);
    }

    /** Reads one complete SMTP reply (all continuation lines), joined with "\n". */
    public String readReply() throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            String line = readLine();
            if (line == null) {
                return sb.length() == 0 ? null : sb.toString();
            }
            if (sb.length() > 0) {
                sb.append('\n');
            }
            sb.append(line);
            if (line.length() < 4 || line.charAt(3) != '-') {
                return sb.toString();
            }
        }
    }

    /** Sends a command line (CRLF added) and reads the SMTP reply. */
    public String command(String line) throws IOException {
        send(line + "\r\n");
        return readReply();
    }

    /** Sends one line in UTF-8 (SMTPUTF8, UTF8=ACCEPT) followed by CRLF and reads the reply. */
    public String commandUtf8(String line) throws IOException {
        sendUtf8(line + "\r\n");
        return readReply();
    }

    /** Whether the server closed the connection (reads until EOF or timeout). */
    public boolean isClosedByServer() {
        try {
            return in.read() == -1;
        } catch (IOException e) {
            return e.getMessage() != null && e.getMessage().contains("reset");
        }
    }

    /** Upgrades to TLS (after the server said yes to STARTTLS), trusting the given context. */
    public RawClient startTls(SSLContext ctx) throws IOException {
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(socket, "localhost", socket.getPort(), true);
        SSLParameters p = s.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        s.setSSLParameters(p);
        s.setUseClientMode(true);
        s.startHandshake();
        socket = s;
        in = s.getInputStream();
        out = s.getOutputStream();
        return this;
    }

    /** The socket. */
    public Socket socket() {
        return socket;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
