package dev.mailkit.imap;

import dev.mailkit.core.MessageSource;
import dev.mailkit.store.AccountId;
import dev.mailkit.store.Flags;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.memory.MemoryMailStore;
import dev.mailkit.testsupport.ExternalTool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * COMPRESS=DEFLATE (RFC 4978) over real sockets: Python's imaplib with zlib around its socket, over plain TCP and
 * implicit TLS, appends and fetches a message; a deflate bomb (a few KiB inflating to 16 MiB) meets the line and
 * literal limits; corrupt deflate data ends the connection with nothing stored; COMPRESS twice, before login and with
 * another mechanism are refused.
 */
class CompressTest {
    MemoryMailStore store;
    ImapServer server;

    @TempDir
    Path dir;

    @BeforeEach
    void start() {
        store = MemoryMailStore.builder().standardMailboxes().build();
        server = ImapServerTest.plain().store(store).tls(ImapServerTest.TLS).implicitTlsPort(0).requireTlsForLogin(false)
                .build().start();
    }

    @AfterEach
    void stop() {
        server.close();
        store.close();
    }

    int messages() {
        try (Mailbox inbox = store.account(AccountId.parse("joe@example.com")).open(MailboxName.INBOX)) {
            return inbox.status().messages();
        }
    }

    @Test
    void pythonImaplibCompressesOverPlainAndTls() throws Exception {
        Path file = dir.resolve("client.py");
        Files.writeString(file, String.join("\n",
                "import imaplib, ssl, sys, zlib",
                "class Deflating:",
                "    def start(self):",
                "        self.zo = zlib.compressobj(6, zlib.DEFLATED, -15)",
                "        self.zi = zlib.decompressobj(-15)",
                "        self.buf = b''",
                "        self.raw_in = 0",
                "        self.plain_in = 0",
                "    def send(self, data):",
                "        if not hasattr(self, 'zo'):",
                "            return super().send(data)",
                "        self.sock.sendall(self.zo.compress(data) + self.zo.flush(zlib.Z_SYNC_FLUSH))",
                "    def _fill(self):",
                "        chunk = self.sock.recv(65536)",
                "        if not chunk:",
                "            raise EOFError('closed')",
                "        self.raw_in += len(chunk)",
                "        out = self.zi.decompress(chunk)",
                "        self.plain_in += len(out)",
                "        self.buf += out",
                "    def read(self, size):",
                "        if not hasattr(self, 'zo'):",
                "            return super().read(size)",
                "        while len(self.buf) < size:",
                "            self._fill()",
                "        r, self.buf = self.buf[:size], self.buf[size:]",
                "        return r",
                "    def readline(self):",
                "        if not hasattr(self, 'zo'):",
                "            return super().readline()",
                "        while b'\\n' not in self.buf:",
                "            self._fill()",
                "        i = self.buf.index(b'\\n') + 1",
                "        r, self.buf = self.buf[:i], self.buf[i:]",
                "        return r",
                "imaplib.Commands['COMPRESS'] = ('AUTH', 'SELECTED')",
                "class Plain(Deflating, imaplib.IMAP4): pass",
                "class Tls(Deflating, imaplib.IMAP4_SSL): pass",
                "port, tls_port = int(sys.argv[1]), int(sys.argv[2])",
                "ctx = ssl.create_default_context()",
                "ctx.check_hostname = False",
                "ctx.verify_mode = ssl.CERT_NONE",
                "body = ('line of text that compresses well\\r\\n' * 6000).encode()",
                "for name, c in (('plain', Plain('127.0.0.1', port)), ('tls', Tls('127.0.0.1', tls_port, ssl_context=ctx))):",
                "    c.login('joe@example.com', 'secret')",
                "    print(name, 'caps', b'COMPRESS=DEFLATE' in c.capability()[1][0])",
                "    print(name, 'compress', c._simple_command('COMPRESS', 'DEFLATE'))",
                "    c.start()",
                "    msg = b'Subject: ' + name.encode() + b'\\r\\n\\r\\n' + body",
                "    print(name, 'append', c.append('INBOX', None, None, msg)[0])",
                "    c.select('INBOX')",
                "    typ, data = c.uid('SEARCH', None, 'SUBJECT', name)",
                "    uid = data[0].split()[-1]",
                "    typ, data = c.uid('FETCH', uid, '(BODY.PEEK[])')",
                "    print(name, 'same', data[0][1] == msg)",
                "    print(name, 'again', c._simple_command('COMPRESS', 'DEFLATE'))",
                "    print(name, 'ratio', c.raw_in * 10 < c.plain_in)",
                "    print(name, 'logout', c.logout()[0])",
                ""));
        String out = ExternalTool.run(List.of(ExternalTool.python().toString(), file.toString(),
                Integer.toString(server.port()), Integer.toString(server.implicitTlsPort())), null,
                Duration.ofSeconds(60)).assertSuccess().stdout;
        for (String name : List.of("plain", "tls")) {
            assertThat(out).contains(name + " caps True", name + " compress ('OK', [b'DEFLATE active'])",
                    name + " append OK", name + " same True", name + " ratio True", name + " logout BYE");
            assertThat(out).containsPattern(name + " again \\('NO', \\[b'\\[COMPRESSIONACTIVE\\]");
        }
        assertThat(messages()).isEqualTo(2);
    }

    /**
     * A client over a raw socket that deflates what it sends and inflates what it reads after COMPRESS; it reads a
     * byte at a time, so nothing after the COMPRESS reply is read as plain text.
     */
    static final class Client implements AutoCloseable {
        final Socket socket;
        InputStream in;
        OutputStream out;

        Client(int port) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(30_000);
            in = socket.getInputStream();
            out = socket.getOutputStream();
        }

        /** A line without CRLF, or null at the end of the stream. */
        String readLine() throws IOException {
            StringBuilder sb = new StringBuilder();
            int b;
            while ((b = in.read()) >= 0 && b != '\n') {
                if (b != '\r') {
                    sb.append((char) b);
                }
            }
            return b < 0 && sb.length() == 0 ? null : sb.toString();
        }

        String command(String tag, String line) throws IOException {
            send(tag + " " + line + "\r\n");
            String l;
            while ((l = readLine()) != null && !l.startsWith(tag + " ")) {
                // untagged
            }
            return l;
        }

        void send(String s) throws IOException {
            out.write(s.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }

        void compress() throws IOException {
            assertThat(command("z", "COMPRESS DEFLATE")).isEqualTo("z OK DEFLATE active");
            out = new DeflaterOutputStream(socket.getOutputStream(), new Deflater(Deflater.DEFAULT_COMPRESSION, true),
                    8192, true);
            in = new InflaterInputStream(socket.getInputStream(), new Inflater(true));
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    Client loggedIn() throws IOException {
        Client c = new Client(server.port());
        assertThat(c.readLine()).startsWith("* OK");
        assertThat(c.command("l", "LOGIN joe@example.com secret")).startsWith("l OK");
        return c;
    }

    @Test
    void deflateBombMeetsTheLineAndLiteralLimits() throws Exception {
        try (Client c = loggedIn()) {
            c.compress();
            // 16 MiB of one byte (256 times the 64 KiB line limit): a few KiB on the wire
            c.out.write("a SEARCH SUBJECT ".getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[1 << 20];
            java.util.Arrays.fill(chunk, (byte) 'x');
            for (int i = 0; i < 16; i++) {
                c.out.write(chunk);
            }
            c.send("\r\n");
            assertThat(c.readLine()).startsWith("a BAD [TOOBIG]");
            assertThat(c.command("b", "NOOP")).startsWith("b OK");
            // a string literal far beyond its limit (64 KiB), non-synchronising, inflating to 16 MiB: the server
            // drains a bounded amount, then answers and/or closes the connection, never waiting for all of it
            c.out.write("c SEARCH SUBJECT {16777216+}\r\n".getBytes(StandardCharsets.US_ASCII));
            String reply = null;
            try {
                for (int i = 0; i < 16; i++) {
                    c.out.write(chunk);
                }
                c.out.flush();
                reply = c.readLine();
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the server neither answered nor closed the connection", e);
            } catch (IOException closed) {
                // the server stopped reading and closed the connection
            }
            if (reply != null) {
                assertThat(reply).matches("c BAD .*|\\* BYE .*");
            }
        }
        assertThat(messages()).isZero();
        try (Client c = loggedIn()) {
            assertThat(c.command("n", "NOOP")).startsWith("n OK"); // the server still serves
        }
    }

    @Test
    void corruptDeflateDataEndsTheConnectionStoringNothing() throws Exception {
        try (Client c = loggedIn()) {
            assertThat(c.command("z", "COMPRESS DEFLATE")).isEqualTo("z OK DEFLATE active");
            // 0xff... is no valid deflate block type sequence: the inflater fails
            c.socket.getOutputStream().write(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x00});
            c.socket.getOutputStream().flush();
            int read;
            try {
                read = c.socket.getInputStream().read();
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the server kept the connection open", e);
            } catch (IOException reset) {
                read = -1;
            }
            assertThat(read).isEqualTo(-1);
        }
        assertThat(messages()).isZero();
    }

    @Test
    void refusedBeforeLoginTwiceAndForOtherMechanisms() throws Exception {
        try (Client c = new Client(server.port())) {
            assertThat(c.readLine()).startsWith("* OK").doesNotContain("COMPRESS");
            assertThat(c.command("a", "COMPRESS DEFLATE")).startsWith("a BAD").contains("log in");
            assertThat(c.command("l", "LOGIN joe@example.com secret")).startsWith("l OK").contains("COMPRESS=DEFLATE");
            assertThat(c.command("b", "COMPRESS GZIP")).isEqualTo(
                    "b NO Unknown compression mechanism: DEFLATE is the one supported");
            assertThat(c.command("c", "COMPRESS")).startsWith("c BAD");
            c.compress();
            assertThat(c.command("d", "COMPRESS DEFLATE")).startsWith("d NO [COMPRESSIONACTIVE]");
            try (Mailbox inbox = store.account(AccountId.parse("joe@example.com")).open(MailboxName.INBOX)) {
                inbox.append(MessageSource.of("Subject: s\r\n\r\nx\r\n".getBytes(StandardCharsets.US_ASCII)),
                        Flags.NONE, Instant.now());
            }
            assertThat(c.command("e", "SELECT INBOX")).startsWith("e OK");
            assertThat(c.command("f", "LOGOUT")).startsWith("f OK");
        }
    }
}
