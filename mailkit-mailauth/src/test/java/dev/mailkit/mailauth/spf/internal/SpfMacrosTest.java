package dev.mailkit.mailauth.spf.internal;

import dev.mailkit.mailauth.spf.SpfResult.Result;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Macro expansion with the examples of RFC 7208 7.4, and the errors that make a record a permerror. */
class SpfMacrosTest {
    static SpfMacros.Values values(String ip) throws Exception {
        InetAddress a = InetAddress.getByName(ip);
        return new SpfMacros.Values() {
            @Override
            public String sender() {
                return "strong-bad@email.example.com";
            }

            @Override
            public String helo() {
                return "mx.example.org";
            }

            @Override
            public InetAddress ip() {
                return a;
            }

            @Override
            public String receiver() {
                return "mail.receiver.test";
            }

            @Override
            public long now() {
                return 1_700_000_000L;
            }

            @Override
            public List<String> validatedNames() {
                return List.of("client.example.org");
            }
        };
    }

    static String expand(String spec) throws Exception {
        return SpfMacros.expand(spec, "email.example.com", false, values("192.0.2.3"));
    }

    @Test
    void theExamplesOfRfc7208() throws Exception {
        assertThat(expand("%{s}")).isEqualTo("strong-bad@email.example.com");
        assertThat(expand("%{o}")).isEqualTo("email.example.com");
        assertThat(expand("%{d}")).isEqualTo("email.example.com");
        assertThat(expand("%{d4}")).isEqualTo("email.example.com");
        assertThat(expand("%{d3}")).isEqualTo("email.example.com");
        assertThat(expand("%{d2}")).isEqualTo("example.com");
        assertThat(expand("%{d1}")).isEqualTo("com");
        assertThat(expand("%{dr}")).isEqualTo("com.example.email");
        assertThat(expand("%{d2r}")).isEqualTo("example.email");
        assertThat(expand("%{l}")).isEqualTo("strong-bad");
        assertThat(expand("%{l-}")).isEqualTo("strong.bad");
        assertThat(expand("%{lr}")).isEqualTo("strong-bad");
        assertThat(expand("%{lr-}")).isEqualTo("bad.strong");
        assertThat(expand("%{l1r-}")).isEqualTo("strong");
        assertThat(expand("%{ir}.%{v}._spf.%{d2}")).isEqualTo("3.2.0.192.in-addr._spf.example.com");
        assertThat(expand("%{lr-}.lp._spf.%{d2}")).isEqualTo("bad.strong.lp._spf.example.com");
        assertThat(expand("%{lr-}.lp.%{ir}.%{v}._spf.%{d2}"))
                .isEqualTo("bad.strong.lp.3.2.0.192.in-addr._spf.example.com");
        assertThat(expand("%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}"))
                .isEqualTo("3.2.0.192.in-addr.strong.lp._spf.example.com");
        assertThat(expand("%{d2}.trusted-domains.example.net")).isEqualTo("example.com.trusted-domains.example.net");
        assertThat(SpfMacros.expand("%{ir}.%{v}._spf.%{d2}", "email.example.com", false, values("2001:db8::cb01")))
                .isEqualTo("1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6._spf.example.com");
    }

    @Test
    void escapesUrlEncodingAndTheOtherLetters() throws Exception {
        assertThat(expand("a%%b%_c%-d")).isEqualTo("a%b c%20d");
        assertThat(expand("%{S}")).isEqualTo("strong-bad%40email.example.com");
        assertThat(expand("%{h}")).isEqualTo("mx.example.org");
        assertThat(expand("%{p}")).isEqualTo("client.example.org");
        assertThat(expand("%{i}")).isEqualTo("192.0.2.3");
        assertThat(SpfMacros.expand("%{c} %{r} %{t}", "d.test", true, values("192.0.2.3")))
                .isEqualTo("192.0.2.3 mail.receiver.test 1700000000");
    }

    @Test
    void malformedMacrosArePermanentErrors() {
        for (String bad : new String[] {"%", "%{", "%{x}", "%{}", "%{d0}", "%{d2*}", "%a", "%{c}"}) {
            assertThatThrownBy(() -> expand(bad)).as(bad).isInstanceOfSatisfying(SpfError.class,
                    e -> assertThat(e.result()).isEqualTo(Result.PERMERROR));
        }
    }
}
