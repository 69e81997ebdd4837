package dev.mailkit.test.assertj;

import dev.mailkit.test.ReceivedMail;

/**
 * Entry point of the AssertJ assertions for received mail: {@code MailKitAssertions.assertThat(mail)}. Needs
 * assertj-core on the test class path.
 */
public final class MailKitAssertions {
    private MailKitAssertions() {
    }

    /** Assertions about one received message. */
    public static ReceivedMailAssert assertThat(ReceivedMail actual) {
        return new ReceivedMailAssert(actual);
    }
}
