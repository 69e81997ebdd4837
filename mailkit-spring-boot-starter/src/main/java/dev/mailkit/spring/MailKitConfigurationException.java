package dev.mailkit.spring;

import java.util.Objects;

/**
 * A {@code mailkit.*} property that mailkit cannot work with: a missing directory, a port that needs TLS, a CIDR
 * that does not parse, a port another process holds, a module that is not on the class path. Spring Boot's failure
 * analysis reports it at start-up with the property, its value, what is wrong and what to do.
 */
public class MailKitConfigurationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String property;
    private final transient Object value;
    private final String action;

    /**
     * A problem with one property.
     *
     * @param property the property's name, e.g. {@code mailkit.store.directory}
     * @param value    its value as bound (may be null: not set)
     * @param problem  what is wrong, in a sentence
     * @param action   what to change
     * @param cause    the exception mailkit's builder threw, or null
     */
    public MailKitConfigurationException(String property, Object value, String problem, String action,
                                         Throwable cause) {
        super(property + (value == null ? " (not set)" : " = " + value) + ": " + problem, cause);
        this.property = Objects.requireNonNull(property, "property");
        this.value = value;
        this.action = Objects.requireNonNull(action, "action");
    }

    /** The property's name, e.g. {@code mailkit.store.directory}. */
    public String property() {
        return property;
    }

    /** The property's value as bound, or null when it is not set. */
    public Object value() {
        return value;
    }

    /** What to change. */
    public String action() {
        return action;
    }
}
