package dev.mailkit.core;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The syntax of the DSN parameters (RFC 3461): xtext, NOTIFY, ORCPT, RET, ENVID. */
class DsnTest {
    @Test
    void xtextAndNotifySyntax() {
        assertThat(Dsn.isXtext("abc+2Bdef")).isTrue();
        assertThat(Dsn.isXtext("a=b")).isFalse();
        assertThat(Dsn.isXtext("a+2")).isFalse();
        assertThat(Dsn.isXtext("a+2b")).as("hex digits are upper case").isFalse();
        assertThat(Dsn.isXtext("a b")).isFalse();
        assertThat(Dsn.decodeXtext("x+2By+0D+0Az")).isEqualTo("x+y??z");
        assertThat(Dsn.normalizeNotify("delay,success")).isEqualTo("SUCCESS,DELAY");
        assertThat(Dsn.normalizeNotify("never")).isEqualTo("NEVER");
        assertThat(Dsn.normalizeNotify("SUCCESS,SUCCESS")).isNull();
        assertThat(Dsn.normalizeNotify("")).isNull();
        assertThat(Dsn.validOrcpt("rfc822;a@b")).isTrue();
        assertThat(Dsn.validOrcpt(";a@b")).isFalse();
        assertThat(Dsn.validOrcpt("rfc 822;a@b")).isFalse();
    }

    @Test
    void retAndEnvid() {
        assertThat(Dsn.validRet("FULL")).isTrue();
        assertThat(Dsn.validRet("full")).as("upper case, as normalised by the receiver").isFalse();
        assertThat(Dsn.validEnvid("QQ+2B1")).isTrue();
        assertThat(Dsn.validEnvid("x".repeat(101))).isFalse();
        assertThat(Dsn.validEnvid("")).isFalse();
    }
}
