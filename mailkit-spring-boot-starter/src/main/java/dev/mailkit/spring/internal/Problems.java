package dev.mailkit.spring.internal;

import dev.mailkit.spring.MailKitConfigurationException;

/** Turns what mailkit's builders refuse into {@link MailKitConfigurationException}s that name the property. */
public final class Problems {
    private Problems() {
    }

    /** A problem with a property, and what to do about it. */
    public static MailKitConfigurationException problem(String property, Object value, String problem, String action) {
        return new MailKitConfigurationException(property, value, problem, action, null);
    }

    /**
     * Runs one builder call for a property; what the builder refuses (its message says why) becomes a
     * {@link MailKitConfigurationException} for that property.
     */
    public static void apply(String property, Object value, Runnable builderCall) {
        try {
            builderCall.run();
        } catch (MailKitConfigurationException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new MailKitConfigurationException(property, value, e.getMessage(),
                    "Correct " + property + " in the application's configuration.", e);
        }
    }
}
