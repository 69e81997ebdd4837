package dev.mailkit.examples.config;

/** A bad command line or configuration file: the message is one line that says what and where. */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    /** An error with its one-line message. */
    public ConfigException(String message) {
        super(message);
    }
}
