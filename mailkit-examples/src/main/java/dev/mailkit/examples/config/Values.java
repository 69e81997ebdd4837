package dev.mailkit.examples.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The value of every setting, after the defaults, the configuration file and the command line (in that order: a flag
 * replaces what the file says for its setting), each parsed by its setting's parser, with where it was written.
 * Immutable.
 */
public final class Values {
    private final Map<Setting<?>, Object> values;
    private final Map<Setting<?>, String> where;

    private Values(Map<Setting<?>, Object> values, Map<Setting<?>, String> where) {
        this.values = values;
        this.where = where;
    }

    /**
     * Resolves every setting.
     *
     * @throws ConfigException naming where the first bad value was written and what is wrong with it
     */
    public static Values resolve(List<Setting<?>> settings, Map<Setting<?>, Written> file,
                                 Map<Setting<?>, Written> flags) throws ConfigException {
        Map<Setting<?>, Object> values = new LinkedHashMap<>();
        Map<Setting<?>, String> where = new LinkedHashMap<>();
        for (Setting<?> s : settings) {
            Written w = flags.containsKey(s) ? flags.get(s) : file.get(s);
            if (w == null) {
                values.put(s, s.defaultValue);
                continue;
            }
            try {
                values.put(s, s.parse(w.texts));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(w.where + ": " + e.getMessage());
            }
            where.put(s, w.where);
        }
        return new Values(values, where);
    }

    /** The value of a setting (its default if nobody wrote one). */
    @SuppressWarnings("unchecked")
    public <T> T get(Setting<T> s) {
        if (!values.containsKey(s)) {
            throw new IllegalArgumentException("not a setting of these values: " + s);
        }
        return (T) values.get(s);
    }

    /** Whether the setting was written on the command line or in the file. */
    public boolean isSet(Setting<?> s) {
        return where.containsKey(s);
    }

    /**
     * How error messages name the setting: where it was written ({@code --relay-user} or
     * {@code mailkit.yaml:7: relay.user}), or its flag if it was not written.
     */
    public String name(Setting<?> s) {
        return where.getOrDefault(s, s.flag);
    }

    /** The settings whose values differ between these values and {@code other}. */
    public List<Setting<?>> changed(Values other) {
        List<Setting<?>> out = new ArrayList<>();
        for (Map.Entry<Setting<?>, Object> e : values.entrySet()) {
            if (!Objects.equals(e.getValue(), other.values.get(e.getKey()))) {
                out.add(e.getKey());
            }
        }
        return out;
    }
}
