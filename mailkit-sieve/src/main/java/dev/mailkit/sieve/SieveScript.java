package dev.mailkit.sieve;

import dev.mailkit.sieve.internal.parse.Cmd;
import dev.mailkit.sieve.internal.parse.Diagnostic;
import dev.mailkit.sieve.internal.parse.Parser;
import dev.mailkit.sieve.internal.parse.SieveSyntaxException;
import dev.mailkit.sieve.internal.parse.Validator;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A compiled Sieve script: parsed, checked against the capabilities it requires, and with the scripts it includes
 * compiled too, so that running it never fails for a reason {@code sievec} would have reported. Run it with
 * {@link Sieve#evaluate}. Immutable and thread-safe.
 *
 * <pre>{@code
 * SieveScript script = SieveScript.compile("filter", """
 *         require ["fileinto"];
 *         if header :contains "subject" "[list]" { fileinto "Lists"; }
 *         """);
 * }</pre>
 */
public final class SieveScript {
    /** The deepest include nesting (Pigeonhole's default). */
    public static final int MAX_INCLUDE_DEPTH = 10;
    /** The most scripts one script may include, directly or not. */
    public static final int MAX_INCLUDES = 255;
    /** The longest script source accepted, in characters. */
    public static final int MAX_SOURCE = 1 << 20;

    private final String name;
    private final Validator.Program program;
    private final Map<String, SieveScript> includes;
    private final List<String> warnings;

    private SieveScript(String name, Validator.Program program, Map<String, SieveScript> includes,
                        List<String> warnings) {
        this.name = name;
        this.program = program;
        this.includes = includes;
        this.warnings = warnings;
    }

    /** Compiles a script that includes nothing. */
    public static SieveScript compile(String name, String source) throws SieveCompileException {
        return compile(name, source, IncludeResolver.none());
    }

    /**
     * Compiles a script and the scripts it includes.
     *
     * @throws SieveCompileException with every error found (the first few of each script)
     */
    public static SieveScript compile(String name, String source, IncludeResolver resolver)
            throws SieveCompileException {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(resolver, "resolver");
        return new Compiler(resolver).compile(name, "personal:" + name, source, new LinkedHashSet<>(), 0);
    }

    /** The script's name. */
    public String name() {
        return name;
    }

    /** The warnings {@code sievec} would print (formatted as it does). */
    public List<String> warnings() {
        return warnings;
    }

    /** The capabilities the script requires. */
    public Set<String> capabilities() {
        return program.capabilities();
    }

    /** The validated commands (internal). */
    List<Cmd> commands() {
        return program.commands();
    }

    /** A script this one includes, by {@code personal:NAME} or {@code global:NAME} (internal). */
    SieveScript included(String key) {
        return includes.get(key);
    }

    @Override
    public String toString() {
        return "SieveScript{" + name + ", " + program.commands().size() + " commands}";
    }

    /** Compiles a script and, depth first, what it includes, sharing one include count. */
    private static final class Compiler {
        private final IncludeResolver resolver;
        private final Map<String, SieveScript> done = new HashMap<>();
        private int count;

        Compiler(IncludeResolver resolver) {
            this.resolver = resolver;
        }

        SieveScript compile(String name, String key, String source, Set<String> stack, int depth)
                throws SieveCompileException {
            if (source.length() > MAX_SOURCE) {
                throw new SieveCompileException(List.of(new SieveCompileException.Error(name, 0,
                        "script is too large (max " + MAX_SOURCE + " bytes)")));
            }
            Validator.Program p;
            try {
                p = Validator.validate(Parser.parse(source));
            } catch (SieveSyntaxException e) {
                throw new SieveCompileException(List.of(new SieveCompileException.Error(name, e.line(),
                        e.getMessage())));
            }
            List<SieveCompileException.Error> errors = new ArrayList<>();
            List<String> warnings = new ArrayList<>();
            for (Diagnostic d : p.diagnostics()) {
                if (d.error()) {
                    errors.add(new SieveCompileException.Error(name, d.line(), d.reason()));
                } else {
                    warnings.add(name + ": " + d.format());
                }
            }
            if (!errors.isEmpty()) {
                throw new SieveCompileException(errors);
            }
            stack.add(key);
            Map<String, SieveScript> includes = new HashMap<>();
            for (Cmd inc : p.includes()) {
                String target = inc.string(0);
                boolean global = inc.has("global");
                String k = (global ? "global:" : "personal:") + target;
                if (stack.contains(k)) {
                    throw new SieveCompileException(List.of(new SieveCompileException.Error(name, inc.line(),
                            "circular include of script '" + target + "'")));
                }
                if (depth + 1 > MAX_INCLUDE_DEPTH) {
                    throw new SieveCompileException(List.of(new SieveCompileException.Error(name, inc.line(),
                            "cannot nest includes deeper than " + MAX_INCLUDE_DEPTH + " levels")));
                }
                SieveScript compiled = done.get(k);
                if (compiled == null) {
                    Optional<String> src;
                    try {
                        src = resolver.source(global, target);
                    } catch (IOException e) {
                        throw new SieveCompileException(List.of(new SieveCompileException.Error(name, inc.line(),
                                "include: failed to read included script '" + target + "': " + e.getMessage())));
                    }
                    if (src.isEmpty()) {
                        if (inc.has("optional")) {
                            continue;
                        }
                        throw new SieveCompileException(List.of(new SieveCompileException.Error(name, inc.line(),
                                "included " + (global ? "global" : "personal") + " script '" + target
                                        + "' does not exist")));
                    }
                    if (++count > MAX_INCLUDES) {
                        throw new SieveCompileException(List.of(new SieveCompileException.Error(name, inc.line(),
                                "failed to include script '" + target + "': no more than " + MAX_INCLUDES
                                        + " includes allowed")));
                    }
                    try {
                        compiled = compile(target, k, src.get(), stack, depth + 1);
                    } catch (SieveCompileException e) {
                        List<SieveCompileException.Error> all = new ArrayList<>(e.errors());
                        all.add(new SieveCompileException.Error(name, inc.line(), "failed to validate included script '"
                                + target + "'"));
                        throw new SieveCompileException(all);
                    }
                    done.put(k, compiled);
                }
                includes.put(k, compiled);
            }
            stack.remove(key);
            return new SieveScript(name, p, Map.copyOf(includes), List.copyOf(warnings));
        }
    }
}
