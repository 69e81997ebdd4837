package dev.mailkit.mailauth.spf;

import dev.mailkit.core.MailAddress;
import dev.mailkit.mailauth.DnsCheckBuilder;
import dev.mailkit.core.Arguments;
import dev.mailkit.core.dns.DnsResolver;
import dev.mailkit.mailauth.internal.DnsQuestions;
import dev.mailkit.mailauth.spf.internal.SpfError;
import dev.mailkit.mailauth.spf.internal.SpfEvaluation;
import dev.mailkit.mailauth.spf.internal.SpfOutcome;
import dev.mailkit.mailauth.spf.SpfResult.Result;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Checks whether a client may send mail for a domain, by the domain's SPF policy (RFC 7208): {@code check_host()}
 * with every mechanism (all, include, a, mx, ptr, ip4, ip6, exists), the redirect and exp modifiers, macros, the
 * limits of 10 DNS-querying terms and 2 void lookups, and the results none, neutral, pass, fail, softfail, temperror
 * and permerror. DNS questions go through a {@link DnsResolver}.
 *
 * <p>Defaults: the operating system's name servers, 5 seconds per question and 20 seconds for a whole check (RFC 7208
 * 4.6.4; after it, temperror), receiver name {@code unknown} (for the {@code %{r}} macro). Each checker has its own
 * DNS cache. Thread-safe.
 */
public final class SpfChecker {
    private final DnsQuestions dns;
    private final Duration overallTimeout;
    private final String receiver;
    private final Clock clock;

    private SpfChecker(Builder b) {
        this.dns = DnsQuestions.of(b.dnsResolver(), b.dnsTimeout());
        this.overallTimeout = b.overallTimeout;
        this.receiver = b.receiver;
        this.clock = b.clock;
    }

    /** A builder with the defaults above. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Checks the MAIL FROM identity (RFC 7208 2.4): {@code sender} is the reverse-path, or empty for the null
     * reverse-path, in which case {@code postmaster@HELO} is checked.
     *
     * @param client the SMTP client's address
     * @param sender the reverse-path (e.g. {@code user@example.com}), or empty for {@code <>}
     * @param helo   the HELO/EHLO name
     */
    public SpfResult checkMailFrom(InetAddress client, String sender, String helo) {
        String s = sender == null || sender.isEmpty() ? "postmaster@" + helo : sender;
        int at = s.lastIndexOf('@');
        String domain = at < 0 ? s : s.substring(at + 1);
        if (at < 0) {
            s = "postmaster@" + s;
        }
        return checkHost(client, domain, s, helo);
    }

    /** Checks the HELO identity (RFC 7208 2.3): the policy of the HELO name, for {@code postmaster@HELO}. */
    public SpfResult checkHelo(InetAddress client, String helo) {
        return checkHost(client, helo, "postmaster@" + helo, helo);
    }

    /** {@code check_host(ip, domain, sender)} of RFC 7208 4. */
    public SpfResult checkHost(InetAddress client, String domain, String sender, String helo) {
        Objects.requireNonNull(client, "client");
        SpfEvaluation e = new SpfEvaluation(dns, client, sender, helo == null ? "" : helo, receiver, clock,
                overallTimeout);
        // RFC 8616: an internationalized domain is checked in its A-label form
        String d = domain == null ? "" : MailAddress.canonicalDomain(SpfEvaluation.stripDot(domain.trim()));
        try {
            SpfOutcome o = e.check(d, 0);
            String explanation = o.result() == Result.FAIL && o.exp() != null ? e.explain(o.exp(), o.domain()) : "";
            return new SpfResult(o.result(), d, explanation, o.detail());
        } catch (SpfError err) {
            return new SpfResult(err.result(), d, "", err.getMessage());
        }
    }

    /** Builds an {@link SpfChecker}. Not thread-safe. */
    public static final class Builder extends DnsCheckBuilder<Builder> {
        private Duration overallTimeout = Duration.ofSeconds(20);
        private String receiver = "unknown";
        private Clock clock = Clock.systemUTC();

        private Builder() {
            super(Duration.ofSeconds(5));
        }

        /** How long a whole check may take (default 20 seconds, RFC 7208 4.6.4); after it, the result is temperror. */
        public Builder overallTimeout(Duration d) {
            this.overallTimeout = Arguments.positive(d, "overallTimeout");
            return this;
        }

        /** This server's name, for the {@code %{r}} macro in explanations (default {@code unknown}). */
        public Builder receiver(String name) {
            this.receiver = Objects.requireNonNull(name, "name");
            return this;
        }

        /** The clock for the {@code %{t}} macro (default the system clock). */
        public Builder clock(Clock c) {
            this.clock = Objects.requireNonNull(c, "clock");
            return this;
        }

        /** Builds the checker. */
        public SpfChecker build() {
            return new SpfChecker(this);
        }
    }
}
