package dev.mailkit.bench.suite;

import dev.mailkit.test.junit.MailKitExtension;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

/** 100 tests, each with its own fresh mailkit-test server (the default per-test lifecycle). */
public class MailkitSuite {
    @RegisterExtension
    static MailKitExtension mail = MailKitExtension.builder().smtp().imap().build();

    @RepeatedTest(100)
    void sendAndReadBack(RepetitionInfo r) throws Exception {
        RoundTrip.sendAndReadBack(mail.smtpPort(), mail.imapPort(), r.getCurrentRepetition());
    }
}
