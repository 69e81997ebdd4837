package dev.mailkit.store.mime;

import com.code_intelligence.jazzer.junit.FuzzTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzzing of the structure cache decoder: the bytes a Maildir store reads back from its
 * {@code mailkit-cache} file, which a crash or a disk may have damaged (a CRC catches most damage, not all). Properties:
 * only {@link IllegalArgumentException} is thrown, and never an allocation from an announced length (an out-of-memory
 * error or a negative array size would be a finding); what decodes re-encodes to a form that decodes equal (a round
 * trip); decoding only the envelope agrees with the full decode.
 */
class StructureCodecFuzzTest {
    @FuzzTest
    void decode(byte[] input) {
        MessageStructure m;
        try {
            m = MessageStructure.fromBytes(input);
        } catch (IllegalArgumentException e) {
            return;
        }
        assertThat(MessageStructure.envelopeFromBytes(input)).isEqualTo(m.envelope());
        byte[] again = m.toBytes();
        assertThat(MessageStructure.fromBytes(again)).isEqualTo(m);
        assertThat(MessageStructure.fromBytes(again).toBytes()).isEqualTo(again);
    }
}
