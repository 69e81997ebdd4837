package dev.mailkit.examples.config;

import java.util.List;

/**
 * What was written for one setting, and where: on the command line ({@code --smtp-port}) or in a configuration file
 * ({@code /etc/mailkit/mailkit.yaml:12: smtp.port}).
 */
public final class Written {
    final List<String> texts;
    final String where;

    Written(List<String> texts, String where) {
        this.texts = List.copyOf(texts);
        this.where = where;
    }

    /** The texts, one per value. */
    public List<String> texts() {
        return texts;
    }

    /** Where it was written, as error messages name it. */
    public String where() {
        return where;
    }
}
