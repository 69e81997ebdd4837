package dev.mailkit.sieve;

import dev.mailkit.core.MessageSource;
import dev.mailkit.sieve.internal.exec.MailMessage;
import dev.mailkit.sieve.internal.exec.VacationReply;
import dev.mailkit.sieve.internal.exec.VacationRules;
import dev.mailkit.testsupport.ExternalTool;
import jakarta.mail.internet.MimeUtility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * mailkit's Sieve against Pigeonhole's ({@code sieve-test} from Debian's dovecot-sieve): for every script and
 * message of {@code src/test/resources/pigeonhole/cases.txt}, the actions each decides (in order, with flags,
 * mailbox creation, vacation periods, subjects and handles, run-time failures and compile errors) must be the same;
 * for the cases marked {@code e}, also what executing the vacation action does (sent, or which rule refused it) and
 * the reply's header fields and text.
 */
class PigeonholeDifferentialTest {
    private static final Path CORPUS = Path.of("src/test/resources/pigeonhole");
    private static Path work;
    private static Path config;

    @BeforeAll
    static void setUp() throws IOException {
        work = Files.createTempDirectory("pigeonhole");
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path home = Files.createDirectories(work.resolve("home"));
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxrwxrwx"));
        String uid = "65534";
        String gid = "65534";
        if (!"root".equals(System.getProperty("user.name"))) {
            uid = ExternalTool.run(List.of("id", "-u"), new byte[0], Duration.ofSeconds(10)).stdout.trim();
            gid = ExternalTool.run(List.of("id", "-g"), new byte[0], Duration.ofSeconds(10)).stdout.trim();
        }
        config = work.resolve("dovecot.conf");
        Files.writeString(config, String.join("\n",
                "mail_location = maildir:" + home.resolve("Maildir"),
                "mail_home = " + home,
                "mail_uid = " + uid,
                "mail_gid = " + gid,
                "lda_mailbox_autocreate = yes",
                "plugin {",
                "  sieve_extensions = +vacation-seconds +spamtest +spamtestplus +virustest",
                "  sieve_dir = " + CORPUS.resolve("personal").toAbsolutePath(),
                "  sieve_global_dir = " + CORPUS.resolve("global").toAbsolutePath(),
                "  sieve_spamtest_status_type = score",
                "  sieve_spamtest_status_header = X-Spam-Score",
                "  sieve_spamtest_max_header = X-Spam-Status: [[:alnum:]]+, score=-?[[:digit:]]+\\.?[[:digit:]]* "
                        + "required=([[:digit:]]+\\.?[[:digit:]]*)",
                "  sieve_virustest_status_type = text",
                "  sieve_virustest_status_header = X-Scan-Results: [^;]*; *[A-Za-z0-9_.-]+=([a-z]+)",
                "  sieve_virustest_text_value1 = clean",
                "  sieve_virustest_text_value5 = virus",
                "}", ""));
    }

    @AfterAll
    static void tearDown() throws IOException {
        try (Stream<Path> s = Files.walk(work)) {
            s.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
        }
    }

    @TestFactory
    Stream<DynamicTest> sameActionsAsPigeonhole() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (String line : Files.readAllLines(CORPUS.resolve("cases.txt"))) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.trim().split("\\s+");
            tests.add(DynamicTest.dynamicTest(f[0] + " / " + f[1] + " from " + f[2] + " to " + f[3],
                    () -> compare(f[0], f[1], f[2], f[3], f.length > 4 && f[4].equals("e"))));
        }
        assertThat(tests).hasSizeGreaterThanOrEqualTo(40);
        return tests.stream();
    }

    private void compare(String scriptName, String messageName, String from, String to, boolean execute)
            throws IOException {
        Path sieveTest = ExternalTool.require("sieve-test");
        // Pigeonhole writes a compiled .svbin beside the script: give it a copy in a directory it may write
        Path script = work.resolve(scriptName + ".sieve");
        Files.copy(CORPUS.resolve("scripts/" + scriptName + ".sieve"), script,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Path message = CORPUS.resolve("messages/" + messageName + ".eml").toAbsolutePath();
        ExternalTool.Result r = pigeonhole(sieveTest, script, message, from, to, false);
        List<String> theirs = canonical(r.stdout + r.stderr);
        List<String> ours = mailkit(script, message, from, to);
        assertThat(ours).as("actions for %s over %s (Pigeonhole said:%n%s%s)", scriptName, messageName, r.stdout,
                r.stderr).isEqualTo(theirs);
        if (execute) {
            ExternalTool.Result e = pigeonhole(sieveTest, script, message, from, to, true);
            List<String> theirVacation = vacationOutcome(e.stdout, e.stderr);
            List<String> ourVacation = mailkitVacation(script, message, from, to);
            assertThat(ourVacation).as("vacation for %s over %s (Pigeonhole said:%n%s%s)", scriptName, messageName,
                    e.stdout, e.stderr).isEqualTo(theirVacation);
        }
    }

    private ExternalTool.Result pigeonhole(Path sieveTest, Path script, Path message, String from, String to,
                                           boolean execute) {
        List<String> cmd = new ArrayList<>(List.of(sieveTest.toString(), "-c", config.toString()));
        if (execute) {
            cmd.add("-e");
        }
        cmd.addAll(List.of("-f", from, "-r", to, script.toString(), message.toString()));
        return ExternalTool.run(cmd, new byte[0], Duration.ofSeconds(30),
                Map.of("TZ", "UTC", "HOME", work.resolve("home").toString()), work);
    }

    // ------------------------------------------------------------------------------------------ canonical forms

    /** sieve-test's report as lines: one per action, then the implicit keep; "FAILED"; or the compile errors. */
    static List<String> canonical(String out) {
        List<String> lines = new ArrayList<>();
        if (out.contains("failed to compile sieve script") || out.contains("error: parse failed")
                || out.contains("error: validation failed")) {
            for (String l : out.split("\n")) {
                int i = l.indexOf(": line ");
                if (i >= 0 && l.contains("error:")) {
                    lines.add("ERROR" + l.substring(i + 1).trim());
                }
            }
            return lines;
        }
        if (out.contains("final result: failed")) {
            return List.of("FAILED", "implicit: store INBOX");
        }
        String section = "";
        String[] all = out.split("\n");
        for (int i = 0; i < all.length; i++) {
            String l = all[i];
            if (l.startsWith("Performed actions:")) {
                section = "";
                continue;
            }
            if (l.startsWith("Implicit keep:")) {
                section = "implicit: ";
                continue;
            }
            if (l.startsWith(" * store message in folder: ")) {
                lines.add(section + "store " + l.substring(" * store message in folder: ".length()).trim());
            } else if (l.trim().startsWith("+ add IMAP flags: ")) {
                String flags = l.trim().substring("+ add IMAP flags: ".length());
                lines.add(lines.remove(lines.size() - 1) + " flags=" + sortedFlags(List.of(flags.split(" "))));
            } else if (l.trim().equals("+ create mailbox if it does not exist")) {
                lines.add(lines.remove(lines.size() - 1) + " create");
            } else if (l.startsWith(" * redirect message to: ")) {
                String a = l.substring(" * redirect message to: ".length()).trim();
                lines.add("redirect " + a.replaceAll("^<|>$", ""));
            } else if (l.startsWith(" * reject message with reason: ")) {
                StringBuilder reason = new StringBuilder(l.substring(" * reject message with reason: ".length()));
                while (i + 1 < all.length && !all[i + 1].startsWith(" * ") && !all[i + 1].isEmpty()
                        && !all[i + 1].startsWith("Implicit")) {
                    reason.append("\n").append(all[++i]);
                }
                lines.add("reject " + reason.toString().strip());
            } else if (l.startsWith(" * discard")) {
                lines.add("discard");
            } else if (l.startsWith(" * send vacation message:")) {
                StringBuilder v = new StringBuilder("vacation");
                while (i + 1 < all.length && all[i + 1].trim().startsWith("=>")) {
                    String kv = all[++i].trim().substring(2).trim();
                    int colon = kv.indexOf(':');
                    v.append(' ').append(kv.substring(0, colon).trim()).append('=').append(kv.substring(colon + 1)
                            .trim());
                }
                StringBuilder body = new StringBuilder();
                while (i + 1 < all.length && !all[i + 1].startsWith("END MESSAGE")) {
                    String b = all[++i];
                    if (!b.startsWith("START MESSAGE") && !(body.length() == 0 && b.isEmpty())) {
                        body.append(b.replace("\r", "")).append("\n");
                    }
                }
                i++;
                lines.add(v + " reason=" + body.toString().strip());
            }
        }
        return lines;
    }

    private static String sortedFlags(List<String> flags) {
        TreeSet<String> s = new TreeSet<>();
        for (String f : flags) {
            if (!f.isBlank()) {
                s.add(f.toLowerCase(Locale.ROOT));
            }
        }
        return String.join(",", s);
    }

    /** mailkit's decision in the same lines. */
    private static List<String> mailkit(Path script, Path message, String from, String to) throws IOException {
        SieveScript compiled;
        try {
            compiled = SieveScript.compile(script.getFileName().toString().replace(".sieve", ""),
                    Files.readString(script), resolver());
        } catch (SieveCompileException e) {
            List<String> lines = new ArrayList<>();
            for (SieveCompileException.Error err : e.errors()) {
                lines.add("ERROR" + (err.line() > 0 ? "line " + err.line() + ": " : "") + "error: " + err.reason()
                        + ".");
            }
            return lines;
        }
        Sieve sieve = Sieve.builder().zone(ZoneOffset.UTC).build();
        SieveResult r;
        try (MessageSource m = MessageSource.of(Files.readAllBytes(message))) {
            r = sieve.evaluate(compiled, new SieveEnvelope(from, to), m, name -> name.equalsIgnoreCase("INBOX"));
        }
        if (r.failure().isPresent()) {
            return List.of("FAILED", "implicit: store INBOX");
        }
        List<String> lines = new ArrayList<>();
        for (SieveAction a : r.actions()) {
            if (a instanceof SieveAction.Store s) {
                lines.add("store " + (s.isKeep() ? "INBOX" : s.mailbox())
                        + (s.flags().isEmpty() ? "" : " flags=" + sortedFlags(s.flags())) + (s.create() ? " create" : ""));
            } else if (a instanceof SieveAction.Redirect rd) {
                lines.add("redirect " + rd.address());
            } else if (a instanceof SieveAction.Reject rj) {
                // sieve-test prints control characters as '?'
                lines.add("reject " + rj.reason().replaceAll("[\\x00-\\x1f]", "?").strip());
            } else if (a instanceof SieveAction.Discard) {
                lines.add("discard");
            } else if (a instanceof SieveAction.Vacation v) {
                lines.add("vacation seconds=" + v.period().getSeconds()
                        + (v.subject() != null ? " subject=" + v.subject() : "")
                        + (v.from() != null ? " from=" + v.from() : "")
                        + " handle=" + v.handle() + " reason=" + v.reason().replace("\r", "").strip());
            }
        }
        if (r.implicitKeep()) {
            lines.add("implicit: store INBOX" + (r.implicitKeepFlags().isEmpty() ? ""
                    : " flags=" + sortedFlags(r.implicitKeepFlags())));
        }
        return lines;
    }

    private static IncludeResolver resolver() {
        return (global, name) -> {
            Path p = CORPUS.resolve((global ? "global/" : "personal/") + name + ".sieve");
            return Files.exists(p) ? Optional.of(Files.readString(p)) : Optional.empty();
        };
    }

    // ------------------------------------------------------------------------------------------ vacation

    /** What executing the vacation action did: "sent" and the reply's fields, or the reason it was not sent. */
    static List<String> vacationOutcome(String stdout, String stderr) {
        List<String> lines = new ArrayList<>();
        for (String l : stderr.split("\n")) {
            if (l.startsWith("info: ") && l.contains("vacation action: ")) {
                String what = l.substring(l.indexOf("vacation action: ") + "vacation action: ".length());
                what = what.endsWith(".") ? what.substring(0, what.length() - 1) : what;
                lines.add(what.startsWith("sent vacation response") ? "sent" : "refused: " + what);
            }
        }
        int end = stdout.indexOf("\nRECIPIENT: ");
        if (lines.contains("sent") && end > 0) {
            lines.addAll(replyFields(stdout.substring(0, end)));
        }
        return lines;
    }

    private static final List<String> FIELDS = List.of("from", "to", "subject", "in-reply-to", "references",
            "auto-submitted", "precedence", "x-auto-response-suppress", "mime-version", "content-type",
            "content-transfer-encoding");

    /** The fields of a reply worth comparing (not Date, Message-ID, X-Sieve), subjects decoded, and the text. */
    static List<String> replyFields(String message) {
        String text = message.replace("\r", "");
        int split = text.indexOf("\n\n");
        String head = split < 0 ? text : text.substring(0, split);
        String body = split < 0 ? "" : text.substring(split + 2);
        List<String> out = new ArrayList<>();
        for (MailMessage.Field f : parseFields(head)) {
            String name = f.name().toLowerCase(Locale.ROOT);
            if (FIELDS.contains(name)) {
                String v = f.raw().strip();
                if (name.equals("subject") || name.equals("to")) {
                    try {
                        v = MimeUtility.decodeText(v.replaceAll("\\?=\\s+=\\?", "?==?"));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                out.add(name + ": " + v);
            }
        }
        out.add("body: " + body.strip());
        return out;
    }

    private static List<MailMessage.Field> parseFields(String head) {
        List<MailMessage.Field> out = new ArrayList<>();
        for (String l : head.split("\n")) {
            if ((l.startsWith(" ") || l.startsWith("\t")) && !out.isEmpty()) {
                MailMessage.Field last = out.remove(out.size() - 1);
                out.add(new MailMessage.Field(last.name(), last.raw() + l));
            } else if (l.indexOf(':') > 0) {
                out.add(new MailMessage.Field(l.substring(0, l.indexOf(':')), l.substring(l.indexOf(':') + 1)));
            }
        }
        return out;
    }

    private static List<String> mailkitVacation(Path script, Path message, String from, String to)
            throws IOException {
        SieveScript compiled;
        try {
            compiled = SieveScript.compile("s", Files.readString(script), resolver());
        } catch (SieveCompileException e) {
            throw new AssertionError(e);
        }
        byte[] bytes = Files.readAllBytes(message);
        try (MessageSource m = MessageSource.of(bytes)) {
            SieveResult r = Sieve.builder().zone(ZoneOffset.UTC).build().evaluate(compiled,
                    new SieveEnvelope(from, to), m, name -> true);
            List<String> lines = new ArrayList<>();
            for (SieveAction a : r.actions()) {
                if (!(a instanceof SieveAction.Vacation v)) {
                    continue;
                }
                MailMessage mm = MailMessage.of(m);
                VacationRules.Outcome o = VacationRules.check(mm, from, to, v.addresses());
                if (o.refusal() != null) {
                    lines.add("refused: " + o.refusal());
                    continue;
                }
                lines.add("sent");
                String replyFrom = v.from() != null ? v.from() : "<" + o.replyFrom() + ">";
                String subject = v.subject() != null ? v.subject() : VacationReply.defaultSubject(mm);
                byte[] reply = VacationReply.compose(mm, replyFrom, from, subject, v.reason(), v.mime(),
                        "<x@y>", ZonedDateTime.now(ZoneOffset.UTC));
                lines.addAll(replyFields(new String(reply, StandardCharsets.UTF_8)));
            }
            return lines;
        }
    }
}
