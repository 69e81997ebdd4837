package dev.mailkit.examples.config;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The settings as picocli options: one option per setting, its help from the setting (with its configuration-file
 * key), and what was written on a command line read back as {@link Written} values.
 */
public final class Flags {
    private Flags() {
    }

    /** Adds an option for each setting to the command. */
    public static void addTo(CommandSpec spec, List<Setting<?>> settings) {
        for (Setting<?> s : settings) {
            OptionSpec.Builder b = OptionSpec.builder(s.flag)
                    .description(s.help + " [file: " + s.key + "]")
                    .hideParamSyntax(false);
            switch (s.kind) {
                case SWITCH:
                    b.arity("0").type(boolean.class);
                    break;
                case VALUE:
                    b.arity("1").type(String.class).paramLabel(s.label);
                    break;
                default:
                    b.arity("1").type(List.class).auxiliaryTypes(String.class).paramLabel(s.label);
            }
            spec.addOption(b.build());
        }
    }

    /** What the parsed command line wrote for each setting (the settings it did not name are absent). */
    public static Map<Setting<?>, Written> written(ParseResult parsed, List<Setting<?>> settings) {
        Map<Setting<?>, Written> out = new LinkedHashMap<>();
        for (Setting<?> s : settings) {
            OptionSpec o = parsed.matchedOption(s.flag);
            if (o == null) {
                continue;
            }
            List<String> texts = s.kind == Setting.Kind.SWITCH ? List.of("true") : o.stringValues();
            out.put(s, new Written(texts, s.flag));
        }
        return out;
    }
}
