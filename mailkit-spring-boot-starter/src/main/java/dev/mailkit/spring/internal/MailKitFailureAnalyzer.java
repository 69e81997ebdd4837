package dev.mailkit.spring.internal;

import dev.mailkit.spring.MailKitConfigurationException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Spring Boot's report of a {@link MailKitConfigurationException} at start-up:
 * "mailkit could not start: PROPERTY = VALUE: PROBLEM", and what to change. Registered in
 * {@code META-INF/spring.factories}.
 */
public final class MailKitFailureAnalyzer extends AbstractFailureAnalyzer<MailKitConfigurationException> {
    /** Used by Spring Boot. */
    public MailKitFailureAnalyzer() {
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, MailKitConfigurationException cause) {
        return new FailureAnalysis("mailkit could not start: " + cause.getMessage(), cause.action(), cause);
    }
}
