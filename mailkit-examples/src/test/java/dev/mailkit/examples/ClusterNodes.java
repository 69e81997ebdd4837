package dev.mailkit.examples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runnable-server nodes in their own JVMs ({@code java -jar mailkit-server.jar --store postgres ...}) for the
 * multi-node tests, and a small line client that can connect from a chosen loopback address (127.0.0.2 is not a
 * proxy; 127.0.0.7 is "the client" behind HAProxy).
 */
final class ClusterNodes {
    private ClusterNodes() {
    }

    /** One node: its process and ports. */
    record Node(String name, Process process, int smtp, int imap, int pop3, int manageSieve) {
        void kill() {
            process.destroyForcibly();
        }
    }

    /** Starts a node on the database and waits for its banner. */
    static Node start(String name, String jdbcUrl, Path data, String... extra) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(ServerJarIT.java(), "-Xmx256m", "-jar", ServerJarIT.JAR.toString(),
                "--store", "postgres", "--db-url", jdbcUrl, "--node-name", name, "--smtp-port", "0",
                "--submission-port", "0", "--smtps-port", "0", "--imap-port", "0", "--imaps-port", "0",
                "--pop3-port", "0", "--pop3s-port", "0", "--managesieve-port", "0", "--http-port", "0", "--domain", "local.test",
                "--user", "rcpt@local.test:pw", "--user", "other@local.test:pw", "--user", "sieve@local.test:pw",
                "--data", data.toString()));
        cmd.addAll(List.of(extra));
        Process p = new ProcessBuilder(cmd).redirectError(data.resolve("stderr.log").toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder banner = new StringBuilder();
        String line;
        while ((line = out.readLine()) != null) {
            banner.append(line).append('\n');
            if (line.contains("store ")) {
                break;
            }
        }
        if (!banner.toString().contains("mailkit started")) {
            p.destroyForcibly(); // a node that did not start must not outlive the test
        }
        assertThat(banner.toString()).as("node %s started (see %s)", name, data.resolve("stderr.log"))
                .contains("mailkit started");
        Thread drain = new Thread(() -> {
            try {
                while (out.readLine() != null) {
                    // relay lines: not needed
                }
            } catch (IOException ignored) {
                // the process went away
            }
        }, "drain-" + name);
        drain.setDaemon(true);
        drain.start();
        return new Node(name, p, port(banner, "SMTP \\(MX\\)"), port(banner, "IMAP"), port(banner, "POP3"),
                port(banner, "ManageSieve"));
    }

    private static int port(CharSequence banner, String label) {
        Matcher m = Pattern.compile("\\n  " + label + "\\s+127\\.0\\.0\\.1:(\\d+)").matcher("\n" + banner);
        assertThat(m.find()).as(label + " in " + banner).isTrue();
        return Integer.parseInt(m.group(1));
    }

    static void stop(Node n) throws InterruptedException {
        n.process().toHandle().destroy();
        if (!n.process().waitFor(20, TimeUnit.SECONDS)) {
            n.process().destroyForcibly();
        }
    }

    /** A line-oriented client (SMTP, IMAP, POP3) from a chosen local address. */
    static final class Client implements AutoCloseable {
        Socket socket;
        private InputStream in;

        Client(String from, int port) throws IOException {
            socket = new Socket();
            socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
            socket.setSoTimeout(20_000);
            in = socket.getInputStream();
        }

        /** Upgrades to TLS (after the server's go-ahead), trusting the node's generated certificate. */
        void startTls() throws IOException {
            try {
                javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
                ctx.init(null, new javax.net.ssl.TrustManager[] {new TrustAll()}, null);
                javax.net.ssl.SSLSocket tls = (javax.net.ssl.SSLSocket) ctx.getSocketFactory()
                        .createSocket(socket, "localhost", socket.getPort(), true);
                tls.startHandshake();
                socket = tls;
                in = tls.getInputStream();
            } catch (java.security.GeneralSecurityException e) {
                throw new IOException(e);
            }
        }

        /** Greeting, STARTTLS, LOGIN: an authenticated IMAP session. */
        static Client imap(String from, int port, String user) throws IOException {
            Client c = new Client(from, port);
            c.line();
            assertThat(c.imap("t0 STARTTLS")).contains("t0 OK");
            c.startTls();
            assertThat(c.imap("t1 LOGIN " + user + " pw")).contains("t1 OK");
            return c;
        }

        /** Greeting, STLS, USER/PASS: a POP3 session in the TRANSACTION state. */
        static Client pop3(String from, int port, String user) throws IOException {
            Client c = new Client(from, port);
            assertThat(c.line()).startsWith("+OK");
            c.send("STLS");
            assertThat(c.line()).startsWith("+OK");
            c.startTls();
            c.send("USER " + user);
            assertThat(c.line()).startsWith("+OK");
            c.send("PASS pw");
            assertThat(c.line()).startsWith("+OK");
            return c;
        }

        /** Greeting, STARTTLS, AUTHENTICATE PLAIN: an authenticated ManageSieve session. */
        static Client manageSieve(String from, int port, String user) throws IOException {
            Client c = new Client(from, port);
            assertThat(c.sieveReply()).contains("\"STARTTLS\"");
            c.send("STARTTLS");
            assertThat(c.sieveReply()).startsWith("OK");
            c.startTls();
            assertThat(c.sieveReply()).contains("\"SASL\"");
            String plain = java.util.Base64.getEncoder().encodeToString(("\0" + user + "\0pw")
                    .getBytes(StandardCharsets.UTF_8));
            assertThat(c.sieve("AUTHENTICATE \"PLAIN\" \"" + plain + "\"")).startsWith("OK");
            return c;
        }

        /** A ManageSieve command: every line up to and including the final OK, NO or BYE. */
        String sieve(String command) throws IOException {
            send(command);
            return sieveReply();
        }

        private String sieveReply() throws IOException {
            StringBuilder sb = new StringBuilder();
            for (String l; (l = line()) != null; ) {
                sb.append(l).append('\n');
                if (l.startsWith("OK") || l.startsWith("NO") || l.startsWith("BYE")) {
                    break;
                }
            }
            return sb.toString();
        }

        String line() throws IOException {
            StringBuilder sb = new StringBuilder();
            int b;
            while ((b = in.read()) >= 0 && b != '\n') {
                if (b != '\r') {
                    sb.append((char) b);
                }
            }
            if (b < 0 && sb.length() == 0) {
                return null;
            }
            return sb.toString();
        }

        /** An SMTP reply (all its lines). */
        String reply() throws IOException {
            StringBuilder all = new StringBuilder();
            while (true) {
                String l = line();
                if (l == null) {
                    return all.toString();
                }
                all.append(l).append('\n');
                if (l.length() < 4 || l.charAt(3) != '-') {
                    return all.toString().trim();
                }
            }
        }

        void send(String text) throws IOException {
            socket.getOutputStream().write((text + "\r\n").getBytes(StandardCharsets.UTF_8));
        }

        String smtp(String command) throws IOException {
            send(command);
            return reply();
        }

        /** An IMAP command: every line up to and including its tagged reply. */
        String imap(String command) throws IOException {
            String tag = command.substring(0, command.indexOf(' '));
            send(command);
            StringBuilder sb = new StringBuilder();
            for (String l; (l = line()) != null; ) {
                sb.append(l).append('\n');
                if (l.startsWith(tag + " ")) {
                    break;
                }
            }
            return sb.toString();
        }

        /** A POP3 multi-line answer, up to the lone dot. */
        String pop3Multi(String command) throws IOException {
            send(command);
            StringBuilder sb = new StringBuilder();
            for (String l; (l = line()) != null; ) {
                sb.append(l).append('\n');
                if (l.equals(".") || l.startsWith("-ERR")) {
                    break;
                }
            }
            return sb.toString();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static final class TrustAll implements javax.net.ssl.X509TrustManager {
        @Override
        public void checkClientTrusted(java.security.cert.X509Certificate[] c, String a) {
        }

        @Override
        public void checkServerTrusted(java.security.cert.X509Certificate[] c, String a) {
        }

        @Override
        public java.security.cert.X509Certificate[] getAcceptedIssuers() {
            return new java.security.cert.X509Certificate[0];
        }
    }

    /** Sends one message over SMTP; returns the final reply to the message. */
    static String sendMail(String from, int port, String rcpt, String subject) throws IOException {
        return sendMail(from, port, rcpt, subject, new long[1]);
    }

    /**
     * Sends one message over SMTP; returns the final reply to the message, and puts the {@link System#nanoTime()} at
     * which that reply arrived (the delivery is committed then) into {@code repliedAt[0]}.
     */
    static String sendMail(String from, int port, String rcpt, String subject, long[] repliedAt) throws IOException {
        try (Client c = new Client(from, port)) {
            String greeting = c.reply();
            if (!greeting.startsWith("220")) {
                return greeting;
            }
            c.smtp("EHLO client.example");
            c.smtp("MAIL FROM:<sender@example.org>");
            String r = c.smtp("RCPT TO:<" + rcpt + ">");
            if (!r.startsWith("250")) {
                return r;
            }
            r = c.smtp("DATA");
            if (!r.startsWith("354")) {
                return r;
            }
            r = c.smtp("Subject: " + subject + "\r\nFrom: sender@example.org\r\n\r\nbody of " + subject + "\r\n.");
            repliedAt[0] = System.nanoTime();
            c.smtp("QUIT");
            return r;
        }
    }
}
