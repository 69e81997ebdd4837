package dev.mailkit.dns;

import dev.mailkit.core.dns.DnsAnswer;
import dev.mailkit.core.dns.DnsException;
import dev.mailkit.core.dns.DnsRecord;
import dev.mailkit.core.dns.DnsType;
import dev.mailkit.dns.testing.Unbound;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link DnsJavaResolver#validating} against a real validating resolver (Unbound) serving a zone signed with BIND's
 * tools: its AD bit becomes {@link DnsAnswer#isAuthenticated()} for the signed zone, never for an unsigned one, a
 * forged (bogus) zone is a temporary failure, and an ordinary resolver asking the same server reports nothing as
 * authenticated.
 */
class ValidatingResolverTest {
    @TempDir
    Path dir;

    @Test
    void theValidatingResolversAdBitMarksAnswersOfTheSignedZoneOnly() throws Exception {
        String tlsa = "_25._tcp.mx IN TLSA 3 1 1 " + "ab".repeat(32);
        try (Unbound unbound = new Unbound(dir,
                Map.of("signed.test", "@ IN MX 10 mx.signed.test.\nmx IN A 127.0.0.2\n" + tlsa
                        + "\nalias IN CNAME mx.signed.test."),
                Map.of("plain.test", "@ IN MX 10 mx.plain.test.\nmx IN A 127.0.0.3\n" + tlsa),
                Map.of("forged.test", "@ IN MX 10 mx.forged.test.\nmx IN A 127.0.0.4"))) {
            DnsJavaResolver dns = DnsJavaResolver.validating(Duration.ofSeconds(5), unbound.address);

            DnsAnswer mx = dns.lookup("signed.test", DnsType.MX, Duration.ofSeconds(10));
            assertThat(mx.records()).containsExactly(new DnsRecord.Mx(10, "mx.signed.test"));
            assertThat(mx.isAuthenticated()).isTrue();
            DnsAnswer t = dns.lookup("_25._tcp.mx.signed.test", DnsType.TLSA, Duration.ofSeconds(10));
            assertThat(t.records()).containsExactly(new DnsRecord.Tlsa(3, 1, 1,
                    HexFormat.of().parseHex("ab".repeat(32))));
            assertThat(t.isAuthenticated()).isTrue();
            DnsAnswer alias = dns.lookup("alias.signed.test", DnsType.A, Duration.ofSeconds(10));
            assertThat(alias.records()).hasSize(1);
            assertThat(alias.isAuthenticated()).isTrue();
            DnsAnswer none = dns.lookup("nothing.signed.test", DnsType.TLSA, Duration.ofSeconds(10));
            assertThat(none.isNoSuchName()).isTrue();
            assertThat(none.isAuthenticated()).as("an authenticated denial (NSEC)").isTrue();

            DnsAnswer plain = dns.lookup("_25._tcp.mx.plain.test", DnsType.TLSA, Duration.ofSeconds(10));
            assertThat(plain.records()).hasSize(1);
            assertThat(plain.isAuthenticated()).as("an unsigned zone").isFalse();

            assertThatThrownBy(() -> dns.lookup("forged.test", DnsType.MX, Duration.ofSeconds(10)))
                    .isInstanceOf(DnsException.class).hasMessageContaining("SERVFAIL")
                    .hasMessageContaining("do not validate");

            DnsJavaResolver ordinary = DnsJavaResolver.using(Duration.ofSeconds(5), unbound.address);
            DnsAnswer same = ordinary.lookup("signed.test", DnsType.MX, Duration.ofSeconds(10));
            assertThat(same.records()).containsExactly(new DnsRecord.Mx(10, "mx.signed.test"));
            assertThat(same.isAuthenticated()).as("a resolver not configured as validating").isFalse();
        }
    }
}
