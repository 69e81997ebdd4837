package dev.mailkit.passwd;

import dev.mailkit.testsupport.ExternalTool;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Both directions against Dovecot's own tool: {@code doveadm pw -s SCHEME} hashes verify here, and the hashes mailkit
 * writes verify with {@code doveadm pw -t} (Debian's dovecot-core).
 */
class DoveadmInteropTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    private static String doveadm(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(ExternalTool.require("doveadm").toString(), "pw"));
        cmd.addAll(List.of(args));
        ExternalTool.Result r = ExternalTool.run(cmd, null, Duration.ofSeconds(30));
        assertThat(r.exitCode).as(r.toString()).isZero();
        return r.stdout.trim();
    }

    @Test
    void doveadmHashesVerifyInMailkit() throws Exception {
        for (PasswordScheme s : PasswordScheme.values()) {
            String pw = "Dovecot wrote this: pässwörd " + s.ordinal();
            String h = doveadm("-s", s.dovecotName(), "-p", pw);
            assertThat(PasswordScheme.verify(pw.toCharArray(), h)).as(h).isTrue();
            assertThat(PasswordScheme.verify((pw + "x").toCharArray(), h)).as(h).isFalse();
        }
    }

    @Test
    void mailkitHashesVerifyInDovecot() throws Exception {
        for (PasswordScheme s : PasswordScheme.values()) {
            String pw = "mailkit wrote this: pässwörd " + s.ordinal();
            String h = s.hash(pw.toCharArray(), RANDOM);
            assertThat(doveadm("-t", h, "-p", pw)).as(h).contains("(verified)");
            ExternalTool.Result wrong = ExternalTool.run(List.of(ExternalTool.require("doveadm").toString(), "pw",
                    "-t", h, "-p", pw + "x"), null, Duration.ofSeconds(30));
            assertThat(wrong.exitCode).as(h).isNotZero();
        }
    }
}
