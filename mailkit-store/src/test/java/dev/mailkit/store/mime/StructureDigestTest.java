package dev.mailkit.store.mime;

import dev.mailkit.core.MessageSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The content digest in the structure (format 4, for RFC 8474's EMAILID): computed over the whole content in the
 * parse, kept through the cache form, absent for embedded messages, and a cache entry of format 3 (written before
 * it existed) is not read as current, so the store parses the message again instead of answering without an id.
 */
class StructureDigestTest {
    static final String MESSAGE = "Subject: outer\r\nContent-Type: message/rfc822\r\n\r\nSubject: inner\r\n\r\nbody\r\n";

    @Test
    void theDigestIsTheContentsAndSurvivesTheCacheForm() throws Exception {
        byte[] bytes = MESSAGE.getBytes(StandardCharsets.US_ASCII);
        MessageStructure s = MessageStructure.parse(MessageSource.of(bytes));
        byte[] sha = MessageDigest.getInstance("SHA-256").digest(bytes);
        assertThat(s.contentDigest()).isEqualTo(sha);
        assertThat(s.emailId()).hasSize(33).startsWith("M");
        assertThat(s.body().message().contentDigest()).isNull();
        assertThat(s.body().message().emailId()).isNull();
        byte[] form = s.toBytes();
        assertThat(MessageStructure.isCurrentFormat(form)).isTrue();
        MessageStructure back = MessageStructure.fromBytes(form);
        assertThat(back).isEqualTo(s);
        assertThat(back.emailId()).isEqualTo(s.emailId());
        assertThat(MessageStructure.envelopeFromBytes(form).subject()).isEqualTo("outer");
        // a different byte anywhere is a different id
        bytes[bytes.length - 3] = 'X';
        assertThat(MessageStructure.parse(MessageSource.of(bytes)).emailId()).isNotEqualTo(s.emailId());
    }

    @Test
    void anOlderCacheFormIsNotCurrentAndADamagedDigestIsRefused() {
        byte[] form = MessageStructure.parse(MessageSource.of(MESSAGE.getBytes(StandardCharsets.US_ASCII))).toBytes();
        byte[] v3 = form.clone();
        v3[0] = 3;
        assertThat(MessageStructure.isCurrentFormat(v3)).isFalse();
        assertThatThrownBy(() -> MessageStructure.fromBytes(v3)).isInstanceOf(IllegalArgumentException.class);
        // the digest's length byte sits 33 bytes from the end: 31 is no SHA-256
        byte[] damaged = form.clone();
        damaged[damaged.length - 33] = 31;
        assertThatThrownBy(() -> MessageStructure.fromBytes(damaged)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("digest");
        byte[] cut = java.util.Arrays.copyOf(form, form.length - 5);
        assertThatThrownBy(() -> MessageStructure.fromBytes(cut)).isInstanceOf(IllegalArgumentException.class);
    }
}
