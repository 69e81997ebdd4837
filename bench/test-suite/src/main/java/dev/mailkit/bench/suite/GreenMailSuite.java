package dev.mailkit.bench.suite;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The same 100 tests on GreenMail, as its users write them (per-test lifecycle, dynamic ports, any login). */
public class GreenMailSuite {
    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetup.dynamicPort(ServerSetupTest.SMTP_IMAP))
            .withConfiguration(GreenMailConfiguration.aConfig().withDisabledAuthentication());

    @RepeatedTest(100)
    void sendAndReadBack(RepetitionInfo r) throws Exception {
        RoundTrip.sendAndReadBack(greenMail.getSmtp().getPort(), greenMail.getImap().getPort(),
                r.getCurrentRepetition());
    }
}
