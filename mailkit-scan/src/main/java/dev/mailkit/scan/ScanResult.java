package dev.mailkit.scan;

import dev.mailkit.core.SmtpReply;
import dev.mailkit.scan.internal.Texts;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What one scanner said about one message: a {@link Verdict}, the spam score and threshold where the scanner has
 * them, the names of the rules that hit, the virus found, the scanner's own reply for a refusal, and the header edits
 * it asks for.
 *
 * <p>Everything is bounded and sanitised when the result is built: rule names keep only letters, digits and
 * {@code _ . - + :} (others are dropped) and at most {@value #MAX_SYMBOLS} of them; the virus name and the reply text
 * are printable ASCII of limited length. So a result can be copied into header fields and replies as it is.
 * Immutable and thread-safe.
 */
public final class ScanResult {
    /** The most rule names a result keeps. */
    public static final int MAX_SYMBOLS = 100;

    /** What the scanner decided. */
    public enum Verdict {
        /** Nothing found. */
        CLEAN,
        /** Spam, to be delivered marked ({@code X-Spam-Flag: YES}), e.g. into the user's Junk mailbox. */
        SPAM,
        /** A virus: refused with {@code 554 5.7.1} naming it (or quarantined). */
        VIRUS,
        /** Refuse the message for good ({@code 550 5.7.1}), e.g. Rspamd's {@code reject} action. */
        REJECT,
        /** Refuse it for now ({@code 451 4.7.1}), e.g. Rspamd's {@code soft reject} and {@code greylist}. */
        TEMPFAIL,
        /** Accept it and deliver it to nobody (a milter's DISCARD). */
        DISCARD,
        /** Accept it and hold it in the quarantine. */
        QUARANTINE
    }

    private final Verdict verdict;
    private final double score;
    private final double threshold;
    private final List<String> symbols;
    private final String virus;
    private final SmtpReply reply;
    private final List<HeaderEdit> edits;

    private ScanResult(Builder b) {
        this.verdict = b.verdict;
        this.score = b.score;
        this.threshold = b.threshold;
        this.symbols = Collections.unmodifiableList(new ArrayList<>(b.symbols));
        this.virus = b.virus;
        this.reply = b.reply;
        this.edits = List.copyOf(b.edits);
    }

    /** A result with nothing but a verdict. */
    public static ScanResult of(Verdict verdict) {
        return builder(verdict).build();
    }

    /** A builder for a result with the given verdict. */
    public static Builder builder(Verdict verdict) {
        return new Builder(verdict);
    }

    /** The verdict. */
    public Verdict verdict() {
        return verdict;
    }

    /** The spam score, for scanners that score. */
    public OptionalDouble score() {
        return Double.isNaN(score) ? OptionalDouble.empty() : OptionalDouble.of(score);
    }

    /** The score at which the scanner calls a message spam, for scanners that score. */
    public OptionalDouble threshold() {
        return Double.isNaN(threshold) ? OptionalDouble.empty() : OptionalDouble.of(threshold);
    }

    /** The names of the rules (symbols, tests) that hit, sanitised, in the scanner's order. */
    public List<String> symbols() {
        return symbols;
    }

    /** The virus (signature) found, for {@link Verdict#VIRUS}. */
    public Optional<String> virus() {
        return Optional.ofNullable(virus);
    }

    /** The scanner's own reply for {@link Verdict#REJECT} or {@link Verdict#TEMPFAIL}, if it gave one. */
    public Optional<SmtpReply> reply() {
        return Optional.ofNullable(reply);
    }

    /** The header edits the scanner asks for, in order. */
    public List<HeaderEdit> edits() {
        return edits;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(verdict.name());
        if (!Double.isNaN(score)) {
            sb.append(" score=").append(score).append(Double.isNaN(threshold) ? "" : "/" + threshold);
        }
        if (virus != null) {
            sb.append(' ').append(virus);
        }
        if (!symbols.isEmpty()) {
            sb.append(' ').append(symbols);
        }
        return sb.toString();
    }

    /** Builds a {@link ScanResult}. Not thread-safe. */
    public static final class Builder {
        private final Verdict verdict;
        private double score = Double.NaN;
        private double threshold = Double.NaN;
        private final List<String> symbols = new ArrayList<>();
        private String virus;
        private SmtpReply reply;
        private final List<HeaderEdit> edits = new ArrayList<>();

        private Builder(Verdict verdict) {
            this.verdict = Objects.requireNonNull(verdict, "verdict");
        }

        /** The score and the scanner's spam threshold (NaN for unknown). */
        public Builder score(double score, double threshold) {
            this.score = Double.isFinite(score) ? score : Double.NaN;
            this.threshold = Double.isFinite(threshold) ? threshold : Double.NaN;
            return this;
        }

        /** A rule that hit; names with other characters than letters, digits and {@code _.-+:} are dropped. */
        public Builder symbol(String name) {
            String s = Texts.symbol(name);
            if (s != null && symbols.size() < MAX_SYMBOLS) {
                symbols.add(s);
            }
            return this;
        }

        /** The virus found (printable ASCII, at most 100 characters are kept). */
        public Builder virus(String name) {
            String v = Texts.printable(name, 100);
            this.virus = v.isEmpty() ? "unnamed" : v;
            return this;
        }

        /** The scanner's own reply for a refusal. */
        public Builder reply(SmtpReply reply) {
            this.reply = reply;
            return this;
        }

        /** A header edit the scanner asks for. */
        public Builder edit(HeaderEdit edit) {
            this.edits.add(Objects.requireNonNull(edit, "edit"));
            return this;
        }

        /** The result. */
        public ScanResult build() {
            return new ScanResult(this);
        }
    }
}
