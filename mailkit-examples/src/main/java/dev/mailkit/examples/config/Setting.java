package dev.mailkit.examples.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One setting of {@code mailkit serve}, declared once: its command-line flag, its key in the configuration file, the
 * syntax of its value (a parser shared by both), its default, its help line, and whether a reload applies it. The
 * command line, the configuration file, the help, the reload report and the error messages are all made from these
 * declarations (see {@code ServerOptions}, where they are listed).
 *
 * @param <T> the value's type: the parsed item, or for a {@link Kind#LIST} setting the list of parsed items
 */
public final class Setting<T> {
    /** How a setting is written. */
    public enum Kind {
        /** One value: {@code --smtp-port 25}, {@code port: 25}. */
        VALUE,
        /** On or off: {@code --http-open}, {@code open: true}. */
        SWITCH,
        /** Repeatable: {@code --domain a --domain b}, {@code domains: [a, b]}. */
        LIST,
        /**
         * Repeatable {@code KEY<sep>VALUE[,VALUE...]}: {@code --alias a=b,c}; in the file a mapping
         * {@code aliases: {a: [b, c]}}.
         */
        PAIRS
    }

    /** Whether a changed value takes effect on reload. */
    public enum Reload {
        /** Applied by a reload, without dropping connections. */
        APPLIED,
        /** Needs a restart; a reload says so. */
        RESTART
    }

    /** Turns one written value into a value; an {@link IllegalArgumentException}'s message says what is wrong. */
    @FunctionalInterface
    public interface Parser<T> {
        /** Parses the text (without the setting's name: the caller adds where it was written). */
        T parse(String text);
    }

    final String flag;
    final String key;
    final String label;
    final String help;
    final Kind kind;
    final char separator;
    final Parser<?> parser;
    final T defaultValue;
    final Reload reload;

    private Setting(String flag, String key, String label, String help, Kind kind, char separator, Parser<?> parser,
                    T defaultValue, Reload reload) {
        this.flag = flag;
        this.key = key;
        this.label = label;
        this.help = help;
        this.kind = kind;
        this.separator = separator;
        this.parser = parser;
        this.defaultValue = defaultValue;
        this.reload = reload;
        if (!flag.startsWith("--") || key.isEmpty()) {
            throw new IllegalArgumentException(flag + " / " + key);
        }
    }

    /** A single-valued setting. */
    public static <T> Setting<T> value(String flag, String key, String label, T defaultValue, Reload reload,
                                       Parser<T> parser, String help) {
        return new Setting<>(flag, key, label, help, Kind.VALUE, (char) 0, parser, defaultValue, reload);
    }

    /** An on/off setting, off by default. */
    public static Setting<Boolean> toggle(String flag, String key, Reload reload, String help) {
        return new Setting<>(flag, key, null, help, Kind.SWITCH, (char) 0, Setting::bool, false, reload);
    }

    /** A repeatable setting; its value is the list of parsed items (empty by default). */
    public static <E> Setting<List<E>> list(String flag, String key, String label, Reload reload, Parser<E> item,
                                            String help) {
        return new Setting<>(flag, key, label, help, Kind.LIST, (char) 0, item, List.of(), reload);
    }

    /**
     * A repeatable {@code KEY<separator>VALUE} setting, a mapping in the file; each item is parsed from the text
     * {@code KEY<separator>VALUE[,VALUE...]}.
     */
    public static <E> Setting<List<E>> pairs(String flag, String key, String label, char separator, Reload reload,
                                             Parser<E> item, String help) {
        return new Setting<>(flag, key, label, help, Kind.PAIRS, separator, item, List.of(), reload);
    }

    /** The command-line flag, e.g. {@code --smtp-port}. */
    public String flag() {
        return flag;
    }

    /** The dotted key in the configuration file, e.g. {@code smtp.port}. */
    public String key() {
        return key;
    }

    /** The value's label in the help, e.g. {@code N}; none for a switch. */
    public String label() {
        return label;
    }

    /** The help text. */
    public String help() {
        return help;
    }

    /** How it is written. */
    public Kind kind() {
        return kind;
    }

    /** Whether a reload applies it. */
    public Reload reload() {
        return reload;
    }

    /** The default value. */
    public T defaultValue() {
        return defaultValue;
    }

    /**
     * Parses the written texts (one for a value or switch, any number for a list) into the value.
     *
     * @throws IllegalArgumentException with the parser's message
     */
    @SuppressWarnings("unchecked")
    T parse(List<String> texts) {
        switch (kind) {
            case VALUE:
            case SWITCH:
                return (T) parser.parse(texts.get(texts.size() - 1));
            default:
                List<Object> out = new ArrayList<>();
                for (String t : texts) {
                    out.add(parser.parse(t));
                }
                return (T) List.copyOf(out);
        }
    }

    private static Boolean bool(String s) {
        if (s.equals("true")) {
            return true;
        }
        if (s.equals("false")) {
            return false;
        }
        throw new IllegalArgumentException("must be true or false, was '" + s + "'");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Setting && ((Setting<?>) o).flag.equals(flag);
    }

    @Override
    public int hashCode() {
        return Objects.hash(flag);
    }

    @Override
    public String toString() {
        return flag + " (" + key + ")";
    }
}
