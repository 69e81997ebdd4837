package dev.mailkit.test.internal;

import dev.mailkit.core.server.AuthFailurePenalty;
import dev.mailkit.store.MailStore;
import dev.mailkit.web.MailSender;
import dev.mailkit.web.TraceRecorder;
import dev.mailkit.web.WebServer;

/**
 * The web inbox of a test server: mailkit-web over the server's store, without login, showing the capture account
 * (one copy of every accepted message), with the server's trace (envelopes, transcripts) and Mailpit's send going
 * through the server's own SMTP port, so that what the API sends is recorded like any other mail.
 */
public final class WebInbox {
    /** The account every accepted message is filed into once for the web inbox. */
    public static final String ACCOUNT = "inbox@mailkit.invalid";

    private WebInbox() {
    }

    /** Starts the web server on a free port of the loopback address. */
    public static WebServer start(MailStore store, TraceRecorder trace, int smtpPort) {
        return WebServer.builder()
                .store(store)
                .openAccess(ACCOUNT)
                .trace(trace)
                .submission(MailSender.smtp("127.0.0.1", smtpPort))
                .authFailurePenalty(AuthFailurePenalty.none())
                .label("mailkit-test")
                .build()
                .start();
    }
}
