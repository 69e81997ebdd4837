package dev.mailkit.mailauth.spf.internal;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mailkit.core.dns.DnsAnswer;
import dev.mailkit.core.dns.DnsResolver;
import dev.mailkit.core.dns.DnsType;
import dev.mailkit.dns.StaticDnsResolver;
import dev.mailkit.mailauth.spf.SpfChecker;
import dev.mailkit.mailauth.spf.SpfResult;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzzing of SPF (RFC 7208): records and macros as a domain's owner may publish them.
 *
 * <p>{@code record}: the input is the text after {@code v=spf1 } of the record at {@code fuzz.test}, and a few names it
 * may refer to exist. Properties: a parsed record re-parses to the same directives and modifiers from its own text (a
 * round trip); the full check answers with a result, never an exception, within its deadline, asking DNS at most as
 * often as RFC 7208's limits allow (10 querying terms, 10 names per MX or PTR, 2 void lookups, the record, the
 * explanation).
 *
 * <p>{@code macros}: the input is a macro-string; expansion gives a string or a permerror, never another exception,
 * and its length is bounded by the input's length times the longest value a macro letter can stand for.
 */
class SpfFuzzTest {
    private static final StaticDnsResolver BASE = StaticDnsResolver.builder()
            .txt("other.test", "v=spf1 ip4:192.0.2.0/24 -all")
            .txt("loop.test", "v=spf1 include:loop.test")
            .mx("fuzz.test", 10, "mx.fuzz.test")
            .address("mx.fuzz.test", "192.0.2.10", "2001:db8::10")
            .address("fuzz.test", "192.0.2.1")
            .ptr("1.2.0.192.in-addr.arpa", "mx.fuzz.test")
            .txt("exp.fuzz.test", "denied for %{s} from %{i}")
            .build();

    @FuzzTest
    void record(byte[] input) {
        String text = "v=spf1 " + new String(input, StandardCharsets.UTF_8);
        try {
            SpfRecord r = SpfRecord.parse(text, "fuzz.test");
            StringBuilder again = new StringBuilder("v=spf1");
            for (SpfRecord.Directive d : r.directives()) {
                again.append(' ').append(d);
            }
            if (r.redirect() != null) {
                again.append(" redirect=").append(r.redirect());
            }
            if (r.exp() != null) {
                again.append(" exp=").append(r.exp());
            }
            SpfRecord back = SpfRecord.parse(again.toString(), "fuzz.test");
            assertThat(back.directives()).as("%s", again).isEqualTo(r.directives());
            assertThat(back.redirect()).isEqualTo(r.redirect());
            assertThat(back.exp()).isEqualTo(r.exp());
        } catch (SpfError e) {
            assertThat(e.getMessage()).isNotBlank();
        }
        AtomicInteger questions = new AtomicInteger();
        DnsResolver counting = new DnsResolver() {
            @Override
            public CompletableFuture<DnsAnswer> lookup(String name, DnsType type) {
                questions.incrementAndGet();
                if (name.equalsIgnoreCase("fuzz.test") && type == DnsType.TXT) {
                    return StaticDnsResolver.builder().txt("fuzz.test", text).build().lookup(name, type);
                }
                return BASE.lookup(name, type);
            }
        };
        SpfChecker checker = SpfChecker.builder().resolver(counting).timeout(Duration.ofSeconds(2))
                .overallTimeout(Duration.ofSeconds(5)).receiver("mx.receiver.test").build();
        for (String ip : List.of("192.0.2.1", "2001:db8::10")) {
            SpfResult result;
            try {
                result = checker.checkMailFrom(InetAddress.getByName(ip), "user@fuzz.test", "helo.fuzz.test");
            } catch (java.net.UnknownHostException e) {
                throw new IllegalStateException(e);
            }
            assertThat(result).isNotNull();
            assertThat(result.result()).isNotNull();
        }
        assertThat(questions.get()).as("DNS questions for two checks").isLessThanOrEqualTo(2 * (1 + 10 * 11 + 2 + 1));
    }

    @FuzzTest
    void macros(byte[] input) throws Exception {
        if (input.length < 1) {
            return;
        }
        boolean explanation = (input[0] & 1) != 0;
        String spec = new String(input, 1, input.length - 1, StandardCharsets.UTF_8);
        InetAddress ip = (input[0] & 2) != 0 ? InetAddress.getByName("2001:db8::cb01")
                : InetAddress.getByName("192.0.2.3");
        SpfMacros.Values values = new SpfMacros.Values() {
            public String sender() {
                return "strong-bad@email.example.com";
            }

            public String helo() {
                return "mx.example.org";
            }

            public InetAddress ip() {
                return ip;
            }

            public String receiver() {
                return "receiver.test";
            }

            public long now() {
                return 1_700_000_000L;
            }

            public List<String> validatedNames() {
                return List.of("mx.example.org");
            }
        };
        String out;
        try {
            out = SpfMacros.expand(spec, "email.example.com", explanation, values);
        } catch (SpfError e) {
            assertThat(e.getMessage()).isNotBlank();
            return;
        }
        assertThat((long) out.length()).isLessThanOrEqualTo((spec.length() + 1L) * 3 * 128);
    }
}
