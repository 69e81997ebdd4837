package dev.mailkit.scan;

import dev.mailkit.core.MessageSource;
import dev.mailkit.core.filter.SpamLearning;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Teaches the scanners what users say, as Dovecot's IMAPSieve anti-spam set-up does: give it to the IMAP server
 * ({@code ImapServer.builder().spamLearning(learning)}) and a message a user moves into Junk is learned as spam, one
 * moved out of Junk as ham: Rspamd through its controller ({@code learnspam}/{@code learnham}), spamd with
 * {@code TELL}. A scanner that fails is logged and skipped; the user's command never fails because of it.
 *
 * <pre>{@code
 * ScannerLearning learning = ScannerLearning.builder().rspamd(rspamd).spamd(spamd).build();
 * }</pre>
 *
 * Immutable and thread-safe.
 */
public final class ScannerLearning implements SpamLearning {
    private final List<RspamdClient> rspamd;
    private final List<SpamdClient> spamd;

    private ScannerLearning(Builder b) {
        this.rspamd = List.copyOf(b.rspamd);
        this.spamd = List.copyOf(b.spamd);
    }

    /** A builder. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void learnSpam(String user, MessageSource message) {
        learn(user, message, true);
    }

    @Override
    public void learnHam(String user, MessageSource message) {
        learn(user, message, false);
    }

    private void learn(String user, MessageSource message, boolean spam) {
        for (RspamdClient r : rspamd) {
            try {
                if (spam) {
                    r.learnSpam(message);
                } else {
                    r.learnHam(message);
                }
            } catch (IOException | RuntimeException e) {
                Log.LOG.warn("{} could not learn a message of {} as {}: {}", r.name(), user, spam ? "spam" : "ham",
                        e.toString());
            }
        }
        for (SpamdClient s : spamd) {
            try {
                if (spam) {
                    s.learnSpam(message, user);
                } else {
                    s.learnHam(message, user);
                }
            } catch (IOException | RuntimeException e) {
                Log.LOG.warn("{} could not learn a message of {} as {}: {}", s.name(), user, spam ? "spam" : "ham",
                        e.toString());
            }
        }
    }

    @Override
    public String toString() {
        return "ScannerLearning[" + rspamd + ", " + spamd + "]";
    }

    /** Configures a {@link ScannerLearning}; {@link #build()} validates. Not thread-safe. */
    public static final class Builder {
        private final List<RspamdClient> rspamd = new ArrayList<>();
        private final List<SpamdClient> spamd = new ArrayList<>();

        private Builder() {
        }

        /** Teach this Rspamd (it needs its controller: {@link RspamdClient.Builder#controller}). */
        public Builder rspamd(RspamdClient client) {
            rspamd.add(Objects.requireNonNull(client, "client"));
            return this;
        }

        /** Teach this spamd (it must run with {@code --allow-tell}). */
        public Builder spamd(SpamdClient client) {
            spamd.add(Objects.requireNonNull(client, "client"));
            return this;
        }

        /**
         * The learning.
         *
         * @throws IllegalStateException if no scanner is given
         */
        public ScannerLearning build() {
            if (rspamd.isEmpty() && spamd.isEmpty()) {
                throw new IllegalStateException("learning needs a scanner: add rspamd(...) or spamd(...)");
            }
            return new ScannerLearning(this);
        }
    }

    /** The logger, created when first used. */
    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger(ScannerLearning.class);
    }
}
