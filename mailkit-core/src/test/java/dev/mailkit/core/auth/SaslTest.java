package dev.mailkit.core.auth;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SaslTest {
    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void plainHasAnOptionalAuthorizationIdentity() throws Exception {
        Sasl.Credentials c = Sasl.plain(b64("\0ann@example.test\0s\u00e9cret"));
        assertThat(c.authorizationId()).isEmpty();
        assertThat(c.username()).isEqualTo("ann@example.test");
        assertThat(c.password()).containsExactly("s\u00e9cret".toCharArray());
        assertThat(c.authorizationAllowed()).isTrue();
        c.wipe();
        assertThat(c.password()).containsOnly('\0');

        assertThat(Sasl.plain(b64("ann\0ann\0pw")).authorizationAllowed()).isTrue();
        assertThat(Sasl.plain(b64("bob\0ann\0pw")).authorizationAllowed()).isFalse();
    }

    @Test
    void malformedResponsesSayWhatIsWrong() {
        assertProblem(() -> Sasl.plain("!!!notbase64"), Sasl.Problem.BASE64);
        assertProblem(() -> Sasl.plain(b64("nonul")), Sasl.Problem.SYNTAX);
        assertProblem(() -> Sasl.plain(b64("\0one nul")), Sasl.Problem.SYNTAX);
        assertProblem(() -> Sasl.plain(b64("a\0b\0c\0d")), Sasl.Problem.SYNTAX); // RFC 4616: no NUL in passwd
        assertProblem(() -> Sasl.plain("="), Sasl.Problem.SYNTAX); // "=" is the empty response
        assertProblem(() -> Sasl.plain(Base64.getEncoder().encodeToString(new byte[] {0, 'a', 0, (byte) 0xff})),
                Sasl.Problem.ENCODING);
        assertProblem(() -> Sasl.login(b64("ann"), "%%%"), Sasl.Problem.BASE64);
        assertProblem(() -> Sasl.login(Base64.getEncoder().encodeToString(new byte[] {(byte) 0xc3}), "%%%"),
                Sasl.Problem.BASE64); // both responses are checked for base64 before either for UTF-8
        assertProblem(() -> Sasl.text(Base64.getEncoder().encodeToString(new byte[] {(byte) 0xc3})),
                Sasl.Problem.ENCODING);
    }

    @Test
    void loginResponses() throws Exception {
        Sasl.Credentials c = Sasl.login(b64("ann@example.test"), b64("pw"));
        assertThat(c.authorizationId()).isEmpty();
        assertThat(c.username()).isEqualTo("ann@example.test");
        assertThat(c.password()).containsExactly('p', 'w');
        assertThat(Sasl.text("=")).isEmpty();
        assertThat(Sasl.secret(b64("x"))).containsExactly('x');
        assertThat(new String(Base64.getDecoder().decode(Sasl.LOGIN_USERNAME_CHALLENGE), StandardCharsets.US_ASCII))
                .isEqualTo("Username:");
        assertThat(new String(Base64.getDecoder().decode(Sasl.LOGIN_PASSWORD_CHALLENGE), StandardCharsets.US_ASCII))
                .isEqualTo("Password:");
    }

    interface Decoding {
        Object run() throws Exception;
    }

    static void assertProblem(Decoding d, Sasl.Problem expected) {
        assertThatThrownBy(d::run).isInstanceOf(Sasl.MalformedResponseException.class)
                .satisfies(e -> assertThat(((Sasl.MalformedResponseException) e).problem()).isEqualTo(expected));
    }
}
