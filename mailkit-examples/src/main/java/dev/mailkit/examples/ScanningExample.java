package dev.mailkit.examples;

import dev.mailkit.core.auth.UserDirectory;
import dev.mailkit.core.sink.MessageSink;
import dev.mailkit.imap.ImapServer;
import dev.mailkit.scan.ClamdClient;
import dev.mailkit.scan.FailurePolicy;
import dev.mailkit.scan.JunkFolder;
import dev.mailkit.scan.MilterClient;
import dev.mailkit.scan.RspamdClient;
import dev.mailkit.scan.ScanFilter;
import dev.mailkit.scan.ScanOptions;
import dev.mailkit.scan.ScannerLearning;
import dev.mailkit.scan.SpamdClient;
import dev.mailkit.smtp.SmtpServer;
import dev.mailkit.store.MailStore;
import dev.mailkit.store.delivery.DeliveryAgent;

import java.time.Duration;

/** The content-scanning examples shown in README.md (the README test keeps the two identical). */
public final class ScanningExample {
    private ScanningExample() {
    }

    /** Rspamd over HTTP: its action decides (reject, soft reject, add header, rewrite subject). */
    public static ScanFilter rspamd(String url, String controllerUrl, String password) {
        // README-RSPAMD-START
        ScanFilter scan = ScanFilter.builder()
                .hostName("mx.example.com")                        // the authserv-id in X-Scan-Results
                .scanner(RspamdClient.builder(url)                 // e.g. http://127.0.0.1:11333
                        .controller(controllerUrl, password)       // e.g. http://127.0.0.1:11334, for learning
                        .timeout(Duration.ofSeconds(15))
                        .build())
                .build();
        // README-RSPAMD-END
        return scan;
    }

    /** SpamAssassin's spamd: spam is marked, refused from a score of 15, and mail is accepted if spamd is down. */
    public static ScanFilter spamd(String address) {
        // README-SPAMD-START
        ScanFilter scan = ScanFilter.builder()
                .hostName("mx.example.com")
                .scanner(SpamdClient.builder(address)              // e.g. 127.0.0.1:783 or unix:/run/spamd.sock
                                .rejectScore(15)                   // refused from 15; marked from spamd's 5
                                .build(),
                        ScanOptions.defaults().onFailure(FailurePolicy.ACCEPT))  // down: accept, marked unscanned
                .build();
        // README-SPAMD-END
        return scan;
    }

    /** ClamAV's clamd: viruses are refused with 554 5.7.1 naming the signature. */
    public static ScanFilter clamd(String address) {
        // README-CLAMD-START
        ScanFilter scan = ScanFilter.builder()
                .hostName("mx.example.com")
                .scanner(ClamdClient.builder(address)              // e.g. unix:/run/clamav/clamd.ctl or 127.0.0.1:3310
                        .streamMaxLength(25L * 1024 * 1024)        // clamd's StreamMaxLength: bigger mail skips it
                        .build())
                .build();
        // README-CLAMD-END
        return scan;
    }

    /** A milter, here OpenDKIM signing what authenticated users send. */
    public static ScanFilter milter(String address) {
        // README-MILTER-START
        ScanFilter scan = ScanFilter.builder()
                .hostName("mx.example.com")
                .milter(MilterClient.builder(address)              // e.g. inet:127.0.0.1:8891 or unix:/run/opendkim.sock
                        .name("opendkim")
                        .build())
                .scanOutbound(true)                                // submissions too: OpenDKIM signs them
                .build();
        // README-MILTER-END
        return scan;
    }

    /** The filter on the receiver. */
    public static SmtpServer server(ScanFilter scan, MessageSink sink) {
        // README-SCAN-SERVER-START
        SmtpServer smtp = SmtpServer.builder()
                .localDomains("example.com")
                .sink(sink)
                .filters(scan)                                     // at the end of DATA, before the 250
                .build()
                .start();
        // README-SCAN-SERVER-END
        return smtp;
    }

    /** Spam into each user's Junk, and IMAP moves into and out of Junk teaching the scanners. */
    public static DeliveryAgent junk(MailStore store, UserDirectory users) {
        // README-JUNK-START
        DeliveryAgent agent = DeliveryAgent.builder()
                .store(store)
                .users(users)
                .mailboxRule(JunkFolder.builder()                  // X-Spam-Flag: YES goes into Junk,
                        .threshold("ann@example.com", 3.0)         // or, for ann, X-Spam-Score from 3
                        .build())
                .build();
        // README-JUNK-END
        return agent;
    }

    /** The IMAP server that teaches the scanners what users move. */
    public static ImapServer learning(MailStore store, UserDirectory users, RspamdClient rspamd, SpamdClient spamd) {
        // README-LEARN-START
        ImapServer imap = ImapServer.builder()
                .store(store)
                .users(users)
                .spamLearning(ScannerLearning.builder().rspamd(rspamd).spamd(spamd).build())
                .build()
                .start();
        // README-LEARN-END
        return imap;
    }
}
