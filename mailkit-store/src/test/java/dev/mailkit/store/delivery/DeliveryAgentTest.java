package dev.mailkit.store.delivery;

import dev.mailkit.core.Envelope;
import dev.mailkit.core.MailAddress;
import dev.mailkit.core.MessageSource;
import dev.mailkit.core.SmtpReply;
import dev.mailkit.core.auth.InMemoryUserDirectory;
import dev.mailkit.core.sink.DeliveryReport;
import dev.mailkit.smtp.SmtpServer;
import dev.mailkit.store.AccountId;
import dev.mailkit.store.MailAccount;
import dev.mailkit.store.MailStore;
import dev.mailkit.store.MailStoreException;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.QuotaLimits;
import dev.mailkit.store.QuotaPolicy;
import dev.mailkit.store.SpecialUse;
import dev.mailkit.store.maildir.MaildirMailStore;
import dev.mailkit.store.memory.MemoryMailStore;
import dev.mailkit.testsupport.RawClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeliveryAgentTest {
    static final InMemoryUserDirectory USERS = InMemoryUserDirectory.builder().passwordHashIterations(1000)
            .user("ann@example.com", "pw").user("bob@example.com", "pw").user("carol@example.com", "pw")
            .user("postmaster@example.com", "pw").user("ann", "ann.other@example.net", "pw").build();

    @TempDir
    Path tmp;
    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    private MemoryMailStore memory() {
        MemoryMailStore s = MemoryMailStore.create();
        closing.add(s);
        return s;
    }

    private static MailAddress a(String s) {
        return MailAddress.parse(s);
    }

    private static Envelope envelope(String from, String... to) {
        Envelope.Builder b = Envelope.builder().reversePath(from).transactionId("T1");
        for (String t : to) {
            b.recipient(t);
        }
        return b.build();
    }

    private static MessageSource msg(String subject) {
        return MessageSource.ofText("Subject: " + subject + "\n\nhello\n");
    }

    private static List<String> contents(MailStore store, String user, String box) {
        List<String> out = new ArrayList<>();
        try (Mailbox m = store.account(a(user)).open(MailboxName.of(box))) {
            for (long uid = 1; uid < m.status().uidNext(); uid++) {
                m.content(uid).ifPresent(c -> {
                    try (c) {
                        out.add(c.asString());
                    }
                });
            }
        }
        return out;
    }

    private static List<String> keys(List<Destination> ds) {
        return ds.stream().map(d -> d.account() + "/" + d.mailbox() + " as " + d.deliveredTo()).toList();
    }

    @Test
    void aUserGetsOneCopyWithReturnPathAndDeliveredTo() throws IOException {
        MemoryMailStore store = memory();
        DeliveryAgent agent = DeliveryAgent.builder().store(store).users(USERS).build();
        DeliveryReport r = agent.deliver(envelope("sender@remote.test", "ann@example.com", "Ann@Example.com"),
                msg("hi"));
        assertThat(r.isAllDelivered()).isTrue();
        assertThat(r.queueId()).isEqualTo("T1");
        assertThat(contents(store, "ann@example.com", "INBOX")).containsExactly(
                "Return-Path: <sender@remote.test>\r\nDelivered-To: ann@example.com\r\nSubject: hi\r\n\r\nhello\r\n");
        // the null reverse-path, and a user reached by another address of theirs
        agent.deliver(envelope("", "ann.other@example.net"), msg("bounce"));
        assertThat(contents(store, "ann.other@example.net", "INBOX").get(0))
                .startsWith("Return-Path: <>\r\nDelivered-To: ann.other@example.net\r\n");
    }

    @Test
    void aliasesFanOutAndEveryMailboxGetsOneCopy() throws IOException {
        MemoryMailStore store = memory();
        DeliveryAgent agent = DeliveryAgent.builder().store(store).users(USERS)
                .alias("team@example.com", "ann@example.com", "bob@example.com")
                .alias("all@example.com", "team@example.com", "carol@example.com", "ann@example.com")
                .alias("Sales@example.com", "team@example.com")
                .build();
        assertThat(keys(agent.resolve(a("all@example.com")))).containsExactly(
                "ann@example.com/INBOX as ann@example.com", "bob@example.com/INBOX as bob@example.com",
                "carol@example.com/INBOX as carol@example.com");
        DeliveryReport r = agent.deliver(envelope("s@remote.test", "ann@example.com", "team@example.com",
                "all@example.com", "sales@EXAMPLE.com"), msg("fan-out"));
        assertThat(r.isAllDelivered()).isTrue();
        assertThat(contents(store, "ann@example.com", "INBOX")).hasSize(1);
        assertThat(contents(store, "bob@example.com", "INBOX")).hasSize(1);
        assertThat(contents(store, "carol@example.com", "INBOX")).hasSize(1);
    }

    @Test
    void aliasLoopsAreRefusedAtBuildAndCutAtRuntime() throws IOException {
        assertThatThrownBy(() -> DeliveryAgent.builder().store(memory())
                .alias("a@example.com", "b@example.com").alias("b@example.com", "c@example.com", "ann@example.com")
                .alias("c@example.com", "A@example.com").build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("alias loop: a@example.com -> b@example.com -> c@example.com -> a@example.com");
        // aliases from elsewhere are checked as they are followed
        MemoryMailStore store = memory();
        AliasResolver looping = addr -> switch (addr.lookupKey()) {
            case "x@example.com" -> List.of(a("y@example.com"), a("bob@example.com"));
            case "y@example.com" -> List.of(a("x@example.com"));
            case "p@example.com" -> List.of(a("q@example.com"));
            case "q@example.com" -> List.of(a("p@example.com"));
            default -> List.of();
        };
        DeliveryAgent agent = DeliveryAgent.builder().store(store).users(USERS).aliases(looping).build();
        assertThat(keys(agent.resolve(a("x@example.com")))).containsExactly("bob@example.com/INBOX as bob@example.com");
        assertThat(agent.checkRecipient(envelope("s@remote.test"), a("p@example.com")))
                .contains(SmtpReply.of(554, "5.4.6", "<p@example.com>: alias loop"));
        DeliveryReport r = agent.deliver(envelope("s@remote.test", "x@example.com", "p@example.com"), msg("loop"));
        assertThat(r.failures()).containsOnlyKeys(a("p@example.com"));
        assertThat(contents(store, "bob@example.com", "INBOX")).hasSize(1);
    }

    @Test
    void plusAddressingGoesToTheUserAndOptionallyIntoTheTagFolder() throws IOException {
        MemoryMailStore store = memory();
        MailAccount ann = store.account(a("ann@example.com"));
        ann.create(MailboxName.of("news"));
        ann.create(MailboxName.of("Drafts"), Set.of(SpecialUse.DRAFTS));
        DeliveryAgent plain = DeliveryAgent.builder().store(store).users(USERS).build();
        assertThat(keys(plain.resolve(a("ann+news@example.com"))))
                .containsExactly("ann@example.com/INBOX as ann+news@example.com");
        DeliveryAgent folders = DeliveryAgent.builder().store(store).users(USERS).plusAddressFolders(true)
                .alias("team@example.com", "ann@example.com", "bob@example.com").build();
        assertThat(keys(folders.resolve(a("ann+news@example.com"))))
                .containsExactly("ann@example.com/news as ann+news@example.com");
        assertThat(keys(folders.resolve(a("ann+nosuchfolder@example.com"))))
                .containsExactly("ann@example.com/INBOX as ann+nosuchfolder@example.com");
        assertThat(keys(folders.resolve(a("ann+Drafts@example.com"))))
                .containsExactly("ann@example.com/INBOX as ann+Drafts@example.com");
        assertThat(keys(folders.resolve(a("ann+a/b@example.com"))))
                .containsExactly("ann@example.com/INBOX as ann+a/b@example.com");
        assertThat(keys(folders.resolve(a("team+news@example.com"))))
                .containsExactly("ann@example.com/news as team+news@example.com",
                        "bob@example.com/INBOX as team+news@example.com");
        assertThat(folders.resolve(a("nobody+news@example.com"))).isEmpty();
        assertThat(DeliveryAgent.builder().store(store).users(USERS).recipientDelimiters("").build()
                .resolve(a("ann+news@example.com"))).isEmpty();
        folders.deliver(envelope("s@remote.test", "ann+news@example.com"), msg("tagged"));
        assertThat(contents(store, "ann@example.com", "news").get(0)).contains("Delivered-To: ann+news@example.com");
    }

    @Test
    void theCatchAllTakesUnknownAddressesOfItsDomainOnly() {
        DeliveryAgent agent = DeliveryAgent.builder().store(memory()).users(USERS)
                .catchAll("example.com", "postmaster@example.com")
                .alias("outside@example.com", "someone@elsewhere.test").build();
        assertThat(keys(agent.resolve(a("whoever@EXAMPLE.com"))))
                .containsExactly("postmaster@example.com/INBOX as postmaster@example.com");
        assertThat(keys(agent.resolve(a("ann@example.com")))).containsExactly("ann@example.com/INBOX as ann@example.com");
        assertThat(agent.resolve(a("whoever@other.test"))).isEmpty();
        assertThat(agent.checkRecipient(envelope("s@remote.test"), a("whoever@other.test")))
                .contains(SmtpReply.of(550, "5.1.1", "<whoever@other.test>: no such user here"));
        // an alias never relays: its outside target gets nothing (the catch-all does not apply to it either)
        DeliveryAgent noCatchAll = DeliveryAgent.builder().store(memory()).users(USERS)
                .alias("outside@example.com", "someone@elsewhere.test").build();
        assertThat(noCatchAll.resolve(a("outside@example.com"))).isEmpty();
    }

    @Test
    void aMessageThatWasAlreadyDeliveredToTheAddressIsAForwardingLoop() throws IOException {
        MemoryMailStore store = memory();
        DeliveryAgent agent = DeliveryAgent.builder().store(store).users(USERS).build();
        MessageSource looped = MessageSource.ofText("Delivered-To: <ANN@example.com>\nSubject: again\n\nhi\n");
        DeliveryReport r = agent.deliver(envelope("s@remote.test", "ann@example.com", "bob@example.com"), looped);
        assertThat(r.failures()).containsOnlyKeys(a("ann@example.com"));
        assertThat(r.failures().get(a("ann@example.com")).code()).isEqualTo(554);
        assertThat(contents(store, "ann@example.com", "INBOX")).isEmpty();
        assertThat(contents(store, "bob@example.com", "INBOX")).hasSize(1);
    }

    @Test
    void badConfigurationIsRefusedWithAMessageThatSaysWhatToChange() {
        assertThatThrownBy(() -> DeliveryAgent.builder().build()).hasMessageContaining("store(...)");
        assertThatThrownBy(() -> DeliveryAgent.builder().alias("not an address", "a@b.c"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a mail address");
        assertThatThrownBy(() -> DeliveryAgent.builder().alias("x@example.com"))
                .hasMessageContaining("at least one target");
        assertThatThrownBy(() -> DeliveryAgent.builder().catchAll("@example.com", "a@example.com"))
                .hasMessageContaining("needs a domain");
        assertThatThrownBy(() -> DeliveryAgent.builder().store(memory()).recipientDelimiters("@").build())
                .hasMessageContaining("cannot be used");
        assertThatThrownBy(() -> DeliveryAgent.builder().store(memory()).maxAliasDepth(0).build())
                .hasMessageContaining("maxAliasDepth");
    }

    // ================================================================================================ over SMTP

    private SmtpServer smtp(DeliveryAgent agent) {
        SmtpServer s = SmtpServer.builder().localDomains("example.com").users(USERS).sink(agent).build().start();
        closing.add(0, s);
        return s;
    }

    /**
     * An internationalized domain in U-labels and in A-labels is one local domain, one user and one catch-all; a
     * look-alike (full-width letters) is none of them. Over SMTPUTF8, into the Maildir.
     */
    @Test
    void internationalizedDomainsAreOneDomainAndLookAlikesAreNot() throws Exception {
        MaildirMailStore store = MaildirMailStore.builder(tmp.resolve("mail")).build();
        closing.add(store);
        InMemoryUserDirectory users = InMemoryUserDirectory.builder().passwordHashIterations(1000)
                .user("jörg@bücher.example", "pw").build();
        DeliveryAgent agent = DeliveryAgent.builder().store(store).users(users)
                .catchAll("xn--bcher-kva.example", "jörg@bücher.example").build();
        SmtpServer smtp = SmtpServer.builder().localDomains("Bücher.Example").users(users).sink(agent).build().start();
        closing.add(0, smtp);
        try (RawClient c = new RawClient(smtp.port())) {
            c.readReply();
            c.command("EHLO client.test");
            assertThat(c.command("MAIL FROM:<s@remote.test> SMTPUTF8")).startsWith("250");
            assertThat(c.commandUtf8("RCPT TO:<jörg@bücher.example>")).startsWith("250");
            assertThat(c.commandUtf8("RCPT TO:<JÖRG@xn--bcher-kva.example>")).startsWith("250");
            assertThat(c.command("RCPT TO:<anyone@XN--BCHER-KVA.example>")).as("the catch-all").startsWith("250");
            assertThat(c.commandUtf8("RCPT TO:<jörg@ｂücher.example>")).as("full-width look-alike: not local")
                    .startsWith("554 5.7.1");
            assertThat(c.command("DATA")).startsWith("354");
            assertThat(c.command("Subject: idn\r\n\r\nhi\r\n.")).startsWith("250");
        }
        assertThat(contents(store, "jörg@xn--bcher-kva.example", "INBOX")).as("one copy for the one user").hasSize(1);
        assertThat(tmp.resolve("mail").resolve("xn--bcher-kva.example")).isDirectory();
    }

    @Test
    void overQuotaIsATemporaryRefusalAtRcptAndNothingIsLost() throws Exception {
        MessageSource filler = msg("filler");
        QuotaPolicy bobIsSmall = id -> id.localPart().equals("bob") ? new QuotaLimits(10_000, 1)
                : QuotaLimits.UNLIMITED;
        MaildirMailStore store = MaildirMailStore.builder(tmp.resolve("mail")).quota(bobIsSmall).build();
        closing.add(store);
        try (Mailbox bob = store.account(a("bob@example.com")).open(MailboxName.INBOX)) {
            bob.append(filler);
        }
        DeliveryAgent agent = DeliveryAgent.builder().store(store).users(USERS)
                .alias("team@example.com", "ann@example.com", "bob@example.com").build();
        SmtpServer smtp = smtp(agent);
        try (RawClient c = new RawClient(smtp.port())) {
            c.readReply();
            c.command("EHLO client.test");
            assertThat(c.command("MAIL FROM:<s@remote.test>")).startsWith("250");
            assertThat(c.command("RCPT TO:<ann@example.com>")).startsWith("250");
            assertThat(c.command("RCPT TO:<bob@example.com>")).startsWith("452 4.2.2");
            assertThat(c.command("RCPT TO:<team@example.com>")).startsWith("452 4.2.2");
            assertThat(c.command("RCPT TO:<nobody@example.com>")).startsWith("550 5.1.1");
            assertThat(c.command("DATA")).startsWith("354");
            assertThat(c.command("Subject: quota\r\n\r\nhi\r\n.")).startsWith("250");
        }
        assertThat(contents(store, "ann@example.com", "INBOX")).hasSize(1);
        assertThat(contents(store, "bob@example.com", "INBOX")).hasSize(1); // only the filler
    }

    @Test
    void aFailureForOneRecipientKeepsTheOthersCopiesAndTheReplySaysWhich() throws Exception {
        MaildirMailStore real = MaildirMailStore.builder(tmp.resolve("mail")).build();
        closing.add(real);
        MailStore flaky = failingFor(real, "bob");
        DeliveryAgent agent = DeliveryAgent.builder().store(flaky).users(USERS)
                .alias("team@example.com", "bob@example.com", "carol@example.com").build();
        SmtpServer smtp = smtp(agent);
        try (RawClient c = new RawClient(smtp.port())) {
            c.readReply();
            c.command("EHLO client.test");
            c.command("MAIL FROM:<s@remote.test>");
            assertThat(c.command("RCPT TO:<ann@example.com>")).startsWith("250");
            assertThat(c.command("RCPT TO:<bob@example.com>")).startsWith("250");
            assertThat(c.command("RCPT TO:<team@example.com>")).startsWith("250");
            c.command("DATA");
            String reply = c.command("Subject: partial\r\n\r\nhi\r\n.");
            assertThat(reply).startsWith("250").contains("but not for <bob@example.com> (451 4.3.0)")
                    .contains("<team@example.com> (451 4.3.0)").doesNotContain("ann@");
            // only bob failing: a temporary failure for the whole message (the client retries)
            c.command("MAIL FROM:<s@remote.test>");
            c.command("RCPT TO:<bob@example.com>");
            c.command("DATA");
            assertThat(c.command("Subject: only bob\r\n\r\nhi\r\n.")).startsWith("451 4.3.0");
        }
        assertThat(contents(real, "ann@example.com", "INBOX")).hasSize(1);
        // carol's only way in was team, which failed with bob's copy: the sender's retry of team brings it, once
        assertThat(contents(real, "carol@example.com", "INBOX")).isEmpty();
        assertThat(contents(real, "bob@example.com", "INBOX")).isEmpty();
    }

    @Test
    void deliveredMailIsOnDiskBeforeTheClientHears250() throws Exception {
        MaildirMailStore store = MaildirMailStore.builder(tmp.resolve("mail")).build();
        closing.add(store);
        SmtpServer smtp = smtp(DeliveryAgent.builder().store(store).users(USERS).build());
        try (RawClient c = new RawClient(smtp.port())) {
            c.readReply();
            c.command("EHLO client.test");
            c.command("MAIL FROM:<s@remote.test>");
            c.command("RCPT TO:<ann@example.com>");
            c.command("RCPT TO:<bob@example.com>");
            c.command("DATA");
            assertThat(c.command("Subject: durable\r\n\r\nhi\r\n.")).startsWith("250");
            // no sync, no wait: the files are there the moment 250 arrives
            for (String user : List.of("ann", "bob")) {
                Path fresh = tmp.resolve("mail/example.com").resolve(user).resolve("new");
                try (Stream<Path> files = Files.list(fresh)) {
                    List<Path> l = files.toList();
                    assertThat(l).hasSize(1);
                    assertThat(Files.readString(l.get(0))).startsWith("Return-Path: <s@remote.test>\r\nDelivered-To: "
                            + user + "@example.com\r\nReceived: from client.test").endsWith("\r\n\r\nhi\r\n");
                }
            }
        }
    }

    @Test
    void hostileRecipientAddressesNeverBecomePathsOverSmtp() throws Exception {
        Path root = tmp.resolve("mail");
        MaildirMailStore store = MaildirMailStore.builder(root).build();
        closing.add(store);
        SmtpServer smtp = smtp(DeliveryAgent.builder().store(store).users(USERS).build());
        List<String> hostile = List.of("<\"../../etc\"@example.com>", "<\"a/b\"@example.com>", "<\"..\"@example.com>",
                "<\"x\\\\y\"@example.com>", "<..@example.com>", "<a..b@example.com>", "<\"a b\"@example.com>",
                "<ann\u2044x@example.com>");
        try (RawClient c = new RawClient(smtp.port())) {
            c.readReply();
            c.command("EHLO client.test");
            c.command("MAIL FROM:<s@remote.test> SMTPUTF8");
            for (String h : hostile) {
                String reply = c.command("RCPT TO:" + h);
                assertThat(reply).as(h).matches("5\\d\\d .*");
            }
        }
        try (Stream<Path> all = Files.walk(tmp)) {
            assertThat(all.filter(p -> !p.startsWith(root)).map(p -> tmp.relativize(p).toString()))
                    .allMatch(String::isEmpty);
        }
        try (Stream<Path> all = Files.list(root)) {
            assertThat(all.map(p -> p.getFileName().toString())).containsOnly(".mailkit.lock");
        }
    }

    /** A store whose appends for one user fail, as a full disk would. */
    static MailStore failingFor(MailStore real, String localPart) {
        return (MailStore) Proxy.newProxyInstance(DeliveryAgentTest.class.getClassLoader(),
                new Class<?>[] {MailStore.class}, (p, m, args) -> {
                    Object r = invoke(real, m, args);
                    if (m.getName().equals("account") && ((MailAccount) r).id().localPart().equals(localPart)) {
                        MailAccount acc = (MailAccount) r;
                        return Proxy.newProxyInstance(DeliveryAgentTest.class.getClassLoader(),
                                new Class<?>[] {MailAccount.class}, (p2, m2, a2) -> {
                                    Object r2 = invoke(acc, m2, a2);
                                    if (m2.getName().equals("open")) {
                                        Mailbox box = (Mailbox) r2;
                                        return Proxy.newProxyInstance(DeliveryAgentTest.class.getClassLoader(),
                                                new Class<?>[] {Mailbox.class}, (p3, m3, a3) -> {
                                                    if (m3.getName().equals("append")) {
                                                        throw new MailStoreException(MailStoreException.Reason.IO_ERROR,
                                                                "disk full");
                                                    }
                                                    return invoke(box, m3, a3);
                                                });
                                    }
                                    return r2;
                                });
                    }
                    return r;
                });
    }

    private static Object invoke(Object target, java.lang.reflect.Method m, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Test
    void destinationsNameTheirAccount() {
        Destination d = new Destination(AccountId.parse("ann@example.com"), MailboxName.INBOX, a("ann@example.com"));
        assertThat(d.account().toString()).isEqualTo("ann@example.com");
        assertThatThrownBy(() -> new Destination(null, MailboxName.INBOX, a("a@b.c")))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void aMailboxRuleChoosesAnotherMailboxPerRecipientCreatingItWithItsSpecialUse() throws IOException {
        MailStore store = memory();
        DeliveryAgent agent = DeliveryAgent.builder().store(store).users(USERS).alias("team@example.com",
                        "ann@example.com", "bob@example.com")
                .mailboxRule((rcpt, m) -> m.asString().contains("X-Spam-Flag: YES") && !rcpt.localPart().equals("bob")
                        ? java.util.Optional.of("Junk") : java.util.Optional.empty())
                .build();
        assertThat(agent.deliver(envelope("s@remote.test", "team@example.com"),
                MessageSource.ofText("X-Spam-Flag: YES\nSubject: spam\n\nhello\n")).isAllDelivered()).isTrue();
        assertThat(agent.deliver(envelope("s@remote.test", "ann@example.com"), msg("ham")).isAllDelivered()).isTrue();
        assertThat(contents(store, "ann@example.com", "Junk")).singleElement().asString().contains("Subject: spam");
        assertThat(contents(store, "ann@example.com", "INBOX")).singleElement().asString().contains("Subject: ham");
        assertThat(contents(store, "bob@example.com", "INBOX")).singleElement().asString().contains("Subject: spam");
        assertThat(store.account(a("ann@example.com")).list()).anySatisfy(i -> {
            assertThat(i.name().toString()).isEqualTo("Junk");
            assertThat(i.specialUse()).containsExactly(SpecialUse.JUNK);
        });
        assertThat(store.account(a("bob@example.com")).exists(MailboxName.of("Junk"))).isFalse();
    }
}
