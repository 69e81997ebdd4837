package dev.mailkit.scan;

import dev.mailkit.core.MessageSource;
import dev.mailkit.core.SmtpReply;
import dev.mailkit.core.sink.DeliveryReport;
import dev.mailkit.core.sink.InMemorySink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The file quarantine (durable, listed, released, deleted, ids checked) and what the builders refuse. */
class QuarantineAndBuildersTest {
    @TempDir
    Path dir;

    @Test
    void theQuarantineHoldsListsReleasesAndDeletes() throws Exception {
        FileQuarantine q = FileQuarantine.open(dir.resolve("q"));
        MessageSource virus = Messages.eicar();
        String first = q.hold(Messages.envelope("a@local.test", "b@local.test"), virus, "clamd: virus X\r\n");
        String second = q.hold(Messages.envelope(), Messages.clean(), "rspamd: spam");
        assertThat(q.list()).extracting(QuarantinedMessage::id).containsExactly(first, second);
        QuarantinedMessage m = q.list().get(0);
        assertThat(m.reason()).isEqualTo("clamd: virus X");
        assertThat(m.envelope().recipients()).extracting(Object::toString).containsExactly("a@local.test",
                "b@local.test");
        assertThat(m.envelope().reversePath()).hasValueSatisfying(r -> assertThat(r).hasToString("sender@example.test"));
        assertThat(m.size()).isEqualTo(virus.size());
        try (MessageSource content = q.content(first).orElseThrow()) {
            assertThat(content.asString()).isEqualTo(virus.asString());
        }
        try (var files = Files.list(dir.resolve("q"))) {
            assertThat(files).noneMatch(p -> p.toString().endsWith(".tmp"));
        }
        DeliveryReport failed = q.release(second, (e, msg) -> DeliveryReport.builder().failed(e.recipients().get(0),
                SmtpReply.of(451, "4.3.0", "later")).build());
        assertThat(failed.isAllDelivered()).isFalse();
        assertThat(q.list()).hasSize(2); // kept until every recipient has it
        InMemorySink sink = new InMemorySink();
        assertThat(q.release(second, sink).isAllDelivered()).isTrue();
        assertThat(sink.messages()).singleElement().satisfies(r ->
                assertThat(r.source().asString()).contains("Shall we meet at noon"));
        assertThat(q.delete(first)).isTrue();
        assertThat(q.delete(first)).isFalse();
        assertThat(q.list()).isEmpty();
        assertThat(q.content(first)).isEmpty();
        for (String bad : new String[] {"../../etc/passwd", "x", "abc-123", "", "a/b-0123456789ab"}) {
            assertThatThrownBy(() -> q.delete(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> q.release(first, sink)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void buildersSayWhatToChange() {
        assertThatThrownBy(() -> ScanFilter.builder().build()).hasMessageContaining("add scanner(...) or milter(...)");
        assertThatThrownBy(() -> ScanFilter.builder().scanner(ClamdClient.builder("127.0.0.1:3310").build())
                .quarantineRefused(true).build()).hasMessageContaining("needs quarantine(...)");
        assertThatThrownBy(() -> ScanFilter.builder().scanner(ClamdClient.builder("127.0.0.1:3310").build())
                .scanner(ClamdClient.builder("unix:/x").build()).build()).hasMessageContaining("name(...)");
        assertThatThrownBy(() -> ClamdClient.builder("clamd")).hasMessageContaining("HOST:PORT or unix:PATH");
        assertThatThrownBy(() -> RspamdClient.builder("https://rspamd:11333")).hasMessageContaining("http://HOST:PORT");
        assertThatThrownBy(() -> SpamdClient.builder("127.0.0.1:783").user("two words"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MilterClient.builder("127.0.0.1:8891").name("bad name"))
                .hasMessageContaining("letters, digits");
        assertThatThrownBy(() -> ClamdClient.builder("127.0.0.1:3310").timeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ScanOptions.defaults().maxMessageSize(0)).hasMessageContaining("maxMessageSize");
        assertThatThrownBy(() -> ScanFilter.builder().hostName("a;b")).hasMessageContaining("host name");
        assertThatThrownBy(() -> JunkFolder.builder().mailbox("INBOX")).hasMessageContaining("other than INBOX");
        assertThatThrownBy(() -> ScannerLearning.builder().build()).hasMessageContaining("rspamd(...) or spamd(...)");
        assertThat(MilterClient.builder("inet:127.0.0.1:8891").build().name()).isEqualTo("milter-127.0.0.1-8891");
    }

    @Test
    void junkFolderReadsTheFirstFieldsAndEachUsersThreshold() {
        JunkFolder junk = JunkFolder.builder().threshold(5).threshold("low@local.test", 2)
                .threshold("never@local.test", Double.POSITIVE_INFINITY).build();
        MessageSource spam = MessageSource.ofText("X-Spam-Flag: YES\r\nX-Spam-Score: 3.5\r\nX-Spam-Score: 99\r\n\r\nx");
        assertThat(junk.mailboxFor(dev.mailkit.core.MailAddress.parse("low@local.test"), spam)).hasValue("Junk");
        assertThat(junk.mailboxFor(dev.mailkit.core.MailAddress.parse("any@local.test"), spam)).isEmpty();
        assertThat(junk.mailboxFor(dev.mailkit.core.MailAddress.parse("never@local.test"), spam)).isEmpty();
        JunkFolder byFlag = JunkFolder.builder().mailbox("Spam").build();
        assertThat(byFlag.mailboxFor(dev.mailkit.core.MailAddress.parse("a@local.test"), spam)).hasValue("Spam");
        assertThat(byFlag.mailboxFor(dev.mailkit.core.MailAddress.parse("a@local.test"),
                MessageSource.ofText("X-Spam-Flag: NO\r\n\r\nx"))).isEmpty();
    }
}
