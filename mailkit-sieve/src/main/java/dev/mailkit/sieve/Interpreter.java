package dev.mailkit.sieve;

import dev.mailkit.sieve.internal.exec.Addresses;
import dev.mailkit.sieve.internal.exec.DateParts;
import dev.mailkit.sieve.internal.exec.MailMessage;
import dev.mailkit.sieve.internal.exec.Match;
import dev.mailkit.sieve.internal.exec.ScanScores;
import dev.mailkit.sieve.internal.exec.Variables;
import dev.mailkit.sieve.internal.parse.Cmd;
import dev.mailkit.sieve.internal.parse.Validator;

import java.io.IOException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Runs a compiled script over one message (RFC 5228 2.10 and the extensions): control flow, tests and the action
 * list with its implicit keep. A run-time error (conflicting actions, a limit) ends the run as a failure, whose
 * result is the implicit keep alone. One per run; not thread-safe.
 */
final class Interpreter {
    private enum Flow { NEXT, STOP, RETURN }

    /** An error that ends the run. */
    static final class RuntimeError extends Exception {
        private static final long serialVersionUID = 1L;

        RuntimeError(String message) {
            super(message, null, false, false);
        }
    }

    private final Sieve sieve;
    private final MailMessage msg;
    private final SieveEnvelope envelope;
    private final Predicate<String> mailboxExists;
    private final Map<String, String> globals = new HashMap<>();
    private final List<SieveAction> actions = new ArrayList<>();
    private final Set<String> once = new HashSet<>();
    private final LinkedHashSet<String> flags = new LinkedHashSet<>();
    private boolean implicitKeep = true;
    private int redirects;
    private int steps;

    Interpreter(Sieve sieve, MailMessage msg, SieveEnvelope envelope, Predicate<String> mailboxExists) {
        this.sieve = sieve;
        this.msg = msg;
        this.envelope = envelope;
        this.mailboxExists = mailboxExists;
    }

    SieveResult run(SieveScript script) throws IOException {
        try {
            block(script, script.commands(), new Variables(globals, script.capabilities().contains("variables")));
            checkConflicts();
            if (actions.size() > sieve.maxActions()) {
                throw new RuntimeError("total number of actions exceeds policy limit (" + actions.size() + " > "
                        + sieve.maxActions() + ")");
            }
            return new SieveResult(actions, implicitKeep, List.copyOf(flags), null);
        } catch (RuntimeError e) {
            return SieveResult.failed(e.getMessage());
        }
    }

    private void checkConflicts() throws RuntimeError {
        SieveAction reject = null;
        for (SieveAction a : actions) {
            if (a instanceof SieveAction.Reject) {
                reject = a;
            }
        }
        if (reject == null) {
            return;
        }
        for (SieveAction a : actions) {
            if (a instanceof SieveAction.Store || a instanceof SieveAction.Redirect) {
                throw new RuntimeError("reject/ereject action conflicts with other action: the "
                        + (a instanceof SieveAction.Store ? "store" : "redirect") + " action (line " + a.line()
                        + ") tries to deliver the message");
            }
            if (a instanceof SieveAction.Vacation) {
                throw new RuntimeError("reject/ereject action conflicts with other action: the vacation action "
                        + "(line " + a.line() + ") also sends a response to the sender");
            }
        }
    }

    private Flow block(SieveScript script, List<Cmd> cmds, Variables vars) throws IOException, RuntimeError {
        boolean chainTaken = true;
        for (Cmd c : cmds) {
            if (++steps > 1_000_000) {
                throw new RuntimeError("execution exceeded the step limit");
            }
            Flow f = Flow.NEXT;
            switch (c.name()) {
                case "if" -> {
                    chainTaken = test(c.tests().get(0), vars);
                    if (chainTaken) {
                        f = block(script, c.block(), vars);
                    }
                }
                case "elsif" -> {
                    if (!chainTaken) {
                        chainTaken = test(c.tests().get(0), vars);
                        if (chainTaken) {
                            f = block(script, c.block(), vars);
                        }
                    }
                }
                case "else" -> {
                    if (!chainTaken) {
                        chainTaken = true;
                        f = block(script, c.block(), vars);
                    }
                }
                case "stop" -> f = Flow.STOP;
                case "return" -> f = Flow.RETURN;
                case "include" -> f = include(script, c);
                default -> action(c, vars);
            }
            if (f == Flow.STOP) {
                return Flow.STOP;
            }
            if (f == Flow.RETURN) {
                return Flow.RETURN;
            }
        }
        return Flow.NEXT;
    }

    private Flow include(SieveScript script, Cmd c) throws IOException, RuntimeError {
        String key = (c.has("global") ? "global:" : "personal:") + c.string(0);
        SieveScript target = script.included(key);
        if (target == null) {
            return Flow.NEXT; // :optional and missing
        }
        if (c.has("once") && !once.add(key)) {
            return Flow.NEXT;
        }
        Flow f = block(target, target.commands(), new Variables(globals,
                target.capabilities().contains("variables")));
        return f == Flow.STOP ? Flow.STOP : Flow.NEXT;
    }

    private String x(Variables vars, String s) {
        return vars == null ? s : vars.expand(s);
    }

    private List<String> x(Variables vars, List<String> list) {
        List<String> out = new ArrayList<>(list.size());
        for (String s : list) {
            out.add(x(vars, s));
        }
        return out;
    }

    private void action(Cmd c, Variables vars) throws RuntimeError {
        switch (c.name()) {
            case "keep" -> {
                store("", c, vars);
                implicitKeep = false;
            }
            case "fileinto" -> {
                store(x(vars, c.string(0)), c, vars);
                if (!c.has("copy")) {
                    implicitKeep = false;
                }
            }
            case "redirect" -> redirect(c, vars);
            case "discard" -> {
                actions.add(new SieveAction.Discard(c.line()));
                implicitKeep = false;
            }
            case "reject", "ereject" -> {
                for (SieveAction a : actions) {
                    if (a instanceof SieveAction.Reject r) {
                        throw new RuntimeError("duplicate reject/ereject action not allowed (previously triggered "
                                + "one was here: line " + r.line() + ")");
                    }
                }
                actions.add(new SieveAction.Reject(x(vars, c.string(0)), c.name().equals("ereject"), c.line()));
                implicitKeep = false;
            }
            case "vacation" -> vacation(c, vars);
            case "setflag", "addflag", "removeflag" -> flagCommand(c, vars);
            case "set" -> {
                String value = Variables.modify(x(vars, c.string(1)), c.tags().keySet());
                if (!vars.set(c.string(0), value)) {
                    throw new RuntimeError("too many variables");
                }
            }
            case "global" -> vars.declareGlobal(c.strings(0));
            default -> throw new RuntimeError("unknown command '" + c.name() + "'");
        }
    }

    private void store(String mailbox, Cmd c, Variables vars) {
        List<String> f = c.has("flags") ? splitFlags(x(vars, c.tagStrings("flags"))) : List.copyOf(flags);
        for (int i = 0; i < actions.size(); i++) {
            if (actions.get(i) instanceof SieveAction.Store s && sameMailbox(s.mailbox(), mailbox)) {
                // a second store into the same mailbox is one store, with the later flags (as Pigeonhole merges)
                actions.set(i, new SieveAction.Store(s.mailbox(), f, s.create() || c.has("create"), s.line()));
                return;
            }
        }
        actions.add(new SieveAction.Store(mailbox, f, c.has("create"), c.line()));
    }

    private static boolean sameMailbox(String a, String b) {
        String x = a.isEmpty() ? "INBOX" : a;
        String y = b.isEmpty() ? "INBOX" : b;
        return x.equalsIgnoreCase("INBOX") ? y.equalsIgnoreCase("INBOX") : x.equals(y);
    }

    private void redirect(Cmd c, Variables vars) throws RuntimeError {
        String address = x(vars, c.string(0)).strip();
        String problem = Validator.addressProblem(address);
        if (problem != null) {
            throw new RuntimeError("specified redirect address '" + address + "' is invalid: " + problem);
        }
        String normal = address.contains("<") ? address.substring(address.indexOf('<') + 1,
                address.lastIndexOf('>') > address.indexOf('<') ? address.lastIndexOf('>') : address.length())
                : address;
        if (!c.has("copy")) {
            implicitKeep = false;
        }
        for (SieveAction a : actions) {
            if (a instanceof SieveAction.Redirect r && r.address().equalsIgnoreCase(normal)) {
                return;
            }
        }
        if (++redirects > sieve.maxRedirects()) {
            throw new RuntimeError("number of redirect actions exceeds policy limit (" + redirects + " > "
                    + sieve.maxRedirects() + ")");
        }
        actions.add(new SieveAction.Redirect(normal, c.line()));
    }

    private void vacation(Cmd c, Variables vars) throws RuntimeError {
        for (SieveAction a : actions) {
            if (a instanceof SieveAction.Vacation v) {
                throw new RuntimeError("duplicate vacation action not allowed (previously triggered one was here: "
                        + "line " + v.line() + ")");
            }
        }
        long seconds = c.has("seconds") ? c.tagNumber("seconds", 0) : c.tagNumber("days", 7) * 86_400L;
        java.time.Duration period = sieve.vacationPeriod(seconds);
        String reason = x(vars, c.string(0));
        String subject = c.tagString("subject") == null ? null : x(vars, c.tagString("subject"));
        String from = c.tagString("from") == null ? null : x(vars, c.tagString("from"));
        if (from != null && Validator.addressProblem(from) != null) {
            throw new RuntimeError("specified :from address '" + from + "' is invalid for vacation action: "
                    + Validator.addressProblem(from));
        }
        List<String> addresses = c.tagStrings("addresses") == null ? List.of() : x(vars, c.tagStrings("addresses"));
        // the default handle is made of the arguments as written, before variables are expanded (as Pigeonhole)
        String handle = c.tagString("handle") != null ? x(vars, c.tagString("handle"))
                : c.string(0) + (subject == null ? "<default-subject>" : c.tagString("subject"))
                + (from == null ? "<default-from>" : c.tagString("from")) + (c.has("mime") ? "<MIME>" : "<NO-MIME>");
        actions.add(new SieveAction.Vacation(reason, subject, from, addresses, c.has("mime"), period, handle,
                c.line()));
    }

    // ============================================================================================ imap4flags

    /** Flags from strings: split at spaces, each once (case-insensitive), in order. */
    static List<String> splitFlags(List<String> strings) {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        Set<String> seen = new HashSet<>();
        for (String s : strings) {
            for (String f : s.split("[ \t\r\n]+")) {
                if (!f.isEmpty() && seen.add(f.toLowerCase(Locale.ROOT))) {
                    out.add(f);
                }
            }
        }
        return List.copyOf(out);
    }

    private void flagCommand(Cmd c, Variables vars) {
        boolean named = c.positional().size() == 2;
        List<String> given = splitFlags(x(vars, c.strings(named ? 1 : 0)));
        List<String> current = named ? splitFlags(List.of(vars.get(c.string(0)))) : List.copyOf(flags);
        LinkedHashSet<String> next = new LinkedHashSet<>();
        switch (c.name()) {
            case "setflag" -> next.addAll(given);
            case "addflag" -> {
                next.addAll(current);
                next.addAll(given);
            }
            default -> {
                Set<String> drop = new HashSet<>();
                for (String g : given) {
                    drop.add(g.toLowerCase(Locale.ROOT));
                }
                for (String f : current) {
                    if (!drop.contains(f.toLowerCase(Locale.ROOT))) {
                        next.add(f);
                    }
                }
            }
        }
        List<String> result = splitFlags(new ArrayList<>(next));
        if (named) {
            vars.set(c.string(0), String.join(" ", result));
        } else {
            flags.clear();
            flags.addAll(result);
        }
    }

    // ============================================================================================ tests

    private boolean test(Cmd t, Variables vars) throws IOException, RuntimeError {
        switch (t.name()) {
            case "true":
                return true;
            case "false":
                return false;
            case "not":
                return !test(t.tests().get(0), vars);
            case "allof":
                for (Cmd s : t.tests()) {
                    if (!test(s, vars)) {
                        return false;
                    }
                }
                return true;
            case "anyof":
                for (Cmd s : t.tests()) {
                    if (test(s, vars)) {
                        return true;
                    }
                }
                return false;
            case "exists":
                for (String h : x(vars, t.strings(0))) {
                    if (!msg.exists(h)) {
                        return false;
                    }
                }
                return true;
            case "size":
                return t.has("over") ? msg.size() > t.tagNumber("over", 0) : msg.size() < t.tagNumber("under", 0);
            case "mailboxexists":
                for (String m : x(vars, t.strings(0))) {
                    if (!mailboxExists.test(m)) {
                        return false;
                    }
                }
                return true;
            default:
                return matchTest(t, vars);
        }
    }

    private boolean matchTest(Cmd t, Variables vars) throws IOException, RuntimeError {
        Match match = Match.of(t, t.name().equals("spamtest") || t.name().equals("virustest"));
        List<String> values = new ArrayList<>();
        List<String> keys;
        switch (t.name()) {
            case "header" -> {
                for (String h : x(vars, t.strings(0))) {
                    values.addAll(msg.decoded(h));
                }
                keys = t.strings(1);
            }
            case "address" -> {
                for (String h : x(vars, t.strings(0))) {
                    values.addAll(Addresses.parts(t, Addresses.fromHeader(msg.raw(h))));
                }
                keys = t.strings(1);
            }
            case "envelope" -> {
                for (String part : x(vars, t.strings(0))) {
                    String p = part.toLowerCase(Locale.ROOT);
                    if (p.equals("from")) {
                        if (envelope.from().isEmpty()) {
                            if (!t.has("localpart") && !t.has("domain") && !t.has("user") && !t.has("detail")) {
                                values.add("");
                            }
                        } else {
                            addPart(t, envelope.from(), values);
                        }
                    } else if (p.equals("to")) {
                        addPart(t, envelope.to(), values);
                    }
                }
                keys = t.strings(1);
            }
            case "body" -> {
                if (t.has("raw")) {
                    values.add(msg.rawBody());
                } else if (t.has("content")) {
                    values.addAll(msg.parts(x(vars, t.tagStrings("content"))));
                } else {
                    values.addAll(msg.parts(List.of("text")));
                }
                keys = t.strings(0);
            }
            case "string" -> {
                for (String s : x(vars, t.strings(0))) {
                    if (!match.counts() || !s.isEmpty()) {
                        values.add(s);
                    }
                }
                keys = t.strings(1);
            }
            case "date", "currentdate" -> {
                boolean header = t.name().equals("date");
                String part = x(vars, t.string(header ? 1 : 0));
                ZoneId zone = sieve.zone();
                if (t.has("zone")) {
                    ZoneOffset z = DateParts.zoneArgument(x(vars, t.tagString("zone")));
                    if (z != null) {
                        zone = z;
                    }
                }
                List<ZonedDateTime> dates = new ArrayList<>();
                if (header) {
                    for (String v : msg.raw(x(vars, t.string(0)))) {
                        ZonedDateTime d = DateParts.parse(v);
                        if (d != null) {
                            dates.add(t.has("originalzone") ? d : d.withZoneSameInstant(zone));
                        }
                        break;
                    }
                } else {
                    dates.add(ZonedDateTime.now(sieve.clock()).withZoneSameInstant(zone));
                }
                for (ZonedDateTime d : dates) {
                    String v = DateParts.part(d, part);
                    if (v != null) {
                        values.add(v);
                    }
                }
                keys = t.strings(header ? 2 : 1);
            }
            case "hasflag" -> {
                if (t.positional().size() == 2) {
                    List<String> all = new ArrayList<>();
                    for (String v : t.strings(0)) {
                        all.add(vars.get(v));
                    }
                    values.addAll(splitFlags(all));
                } else {
                    values.addAll(flags);
                }
                keys = splitFlags(x(vars, t.strings(t.positional().size() - 1)));
                return match.test(values, keys, vars);
            }
            case "spamtest" -> {
                values.add(ScanScores.spam(msg, t.has("percent")));
                keys = t.strings(0);
            }
            case "virustest" -> {
                values.add(ScanScores.virus(msg));
                keys = t.strings(0);
            }
            default -> throw new RuntimeError("unknown test '" + t.name() + "'");
        }
        return match.test(values, x(vars, keys), vars);
    }

    private static void addPart(Cmd t, String address, List<String> values) {
        String p = Addresses.part(t, address);
        if (p != null) {
            values.add(p);
        }
    }
}
