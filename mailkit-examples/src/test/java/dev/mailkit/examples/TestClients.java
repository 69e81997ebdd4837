package dev.mailkit.examples;

import dev.mailkit.testsupport.RawClient;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the tests and benchmarks of the runnable server do as a client of it, written once: TLS that trusts the
 * server's own generated certificate on loopback, an IMAP login after STARTTLS, an APPEND with a synchronising
 * literal.
 */
public final class TestClients {
    private TestClients() {
    }

    /**
     * A TLS context that accepts any server certificate: for the server's own self-signed certificate on loopback,
     * where what is tested is not trust.
     */
    public static SSLContext trustAll() throws GeneralSecurityException {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
                // the server's own certificate, on loopback
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        return ctx;
    }

    /** An IMAP connection after the greeting, STARTTLS and LOGIN as rcpt@local.test (password "secret"). */
    public static RawClient imapLogin(int port, SSLContext tls) throws IOException {
        RawClient c = new RawClient(port);
        c.readLine();
        assertThat(c.command("t1 STARTTLS")).startsWith("t1 OK");
        c.startTls(tls);
        assertThat(c.command("t2 LOGIN rcpt@local.test secret")).startsWith("t2 OK");
        return c;
    }

    /** APPEND to INBOX with a synchronising literal; the tagged reply (or the refusal of the literal). */
    public static String append(RawClient c, String tag, String message) throws IOException {
        byte[] bytes = message.getBytes(StandardCharsets.US_ASCII);
        String cont = c.command(tag + " APPEND INBOX {" + bytes.length + "}");
        if (!cont.startsWith("+")) {
            return cont;
        }
        c.sendBytes(bytes);
        c.send("\r\n");
        String l;
        while (!(l = c.readLine()).startsWith(tag + " ")) {
            assertThat(l).startsWith("* ");
        }
        return l;
    }
}
