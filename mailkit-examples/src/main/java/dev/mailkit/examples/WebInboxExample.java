package dev.mailkit.examples;

import dev.mailkit.core.auth.UserDirectory;
import dev.mailkit.relay.RelayQueue;
import dev.mailkit.store.MailStore;
import dev.mailkit.web.MailSender;
import dev.mailkit.web.TraceRecorder;
import dev.mailkit.web.WebServer;

/** The web inbox example shown in README.md (the README test keeps the two identical). */
public final class WebInboxExample {
    private WebInboxExample() {
    }

    /** Starts the web inbox over the store, with the relay queue for sending; the caller closes it. */
    public static WebServer start(MailStore store, UserDirectory users, RelayQueue relayQueue, TraceRecorder trace) {
        // README-WEB-START
        WebServer web = WebServer.builder()
                .store(store)                                              // the store mail is delivered into
                .users(users)                                              // logins; each user sees their own account
                .submission(MailSender.queue(relayQueue))                  // "send": relay queue, DKIM, Sent folder
                .trace(trace)                                              // fed by the SMTP server and the relay
                .relayQueue(relayQueue)                                    // the queue view (needs mailkit-relay)
                .build()
                .start();                                                  // a free port on 127.0.0.1
        System.out.println(web.url());
        // README-WEB-END
        return web;
    }
}
