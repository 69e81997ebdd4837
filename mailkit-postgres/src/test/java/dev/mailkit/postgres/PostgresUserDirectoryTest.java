package dev.mailkit.postgres;

import dev.mailkit.core.MailAddress;
import dev.mailkit.core.auth.MailUser;
import dev.mailkit.core.auth.PasswordHash;
import dev.mailkit.core.server.AuthFailurePenalty;
import dev.mailkit.pop3.Pop3Server;
import dev.mailkit.testsupport.RawClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Users, aliases and domains in PostgreSQL, shared by two nodes; a real POP3 server logs in through it. */
class PostgresUserDirectoryTest {
    private PostgresDatabase dbA;
    private PostgresDatabase dbB;
    private PostgresUserDirectory a;
    private PostgresUserDirectory b;

    @BeforeEach
    void twoNodes() {
        String schema = PostgresCluster.get().newSchema();
        dbA = PostgresCluster.get().database(schema, "a");
        dbB = PostgresCluster.get().database(schema, "b");
        a = PostgresUserDirectory.builder(dbA).passwordHashIterations(1000).build();
        b = PostgresUserDirectory.builder(dbB).passwordHashIterations(1000).build();
    }

    @AfterEach
    void close() {
        dbA.close();
        dbB.close();
    }

    @Test
    void usersAliasesAndDomainsAddedOnOneNodeAreFoundOnTheOther() {
        a.addDomain("Example.COM");
        a.addUser("Ann", MailAddress.parse("Ann.Smith@example.com"), "s3cret".toCharArray());
        a.addAlias(MailAddress.parse("sales@example.com"), "ann");
        MailUser ann = new MailUser("Ann", MailAddress.parse("Ann.Smith@example.com"));
        assertThat(b.authenticate("ann", "s3cret".toCharArray())).contains(ann);
        assertThat(b.authenticate("ANN", "s3cret".toCharArray())).contains(ann);
        assertThat(b.authenticate("ann", "S3cret".toCharArray())).isEmpty();
        assertThat(b.authenticate("bob", "s3cret".toCharArray())).isEmpty();
        assertThat(b.findByAddress(MailAddress.parse("ann.smith@EXAMPLE.com"))).contains(ann);
        assertThat(b.findByAddress(MailAddress.parse("Sales@example.com"))).contains(ann);
        assertThat(b.findByAddress(MailAddress.parse("nobody@example.com"))).isEmpty();
        assertThat(b.findByUsername("aNN")).contains(ann);
        assertThat(b.isLocalDomain("example.com")).isTrue();
        assertThat(b.isLocalDomain("example.org")).isFalse();
        assertThat(b.domains()).containsExactly("example.com");

        assertThat(b.setPassword("ann", "new".toCharArray())).isTrue();
        assertThat(a.authenticate("ann", "s3cret".toCharArray())).isEmpty();
        assertThat(a.authenticate("ann", "new".toCharArray())).contains(ann);
        assertThat(a.setDisabled("ann", true)).isTrue();
        assertThat(b.authenticate("ann", "new".toCharArray())).isEmpty();
        assertThat(b.findByAddress(MailAddress.parse("sales@example.com"))).isEmpty();
        a.setDisabled("ann", false);
        assertThat(b.removeAlias(MailAddress.parse("sales@example.com"))).isTrue();
        assertThat(a.findByAddress(MailAddress.parse("sales@example.com"))).isEmpty();
        assertThat(b.removeUser("ann")).isTrue();
        assertThat(a.findByUsername("ann")).isEmpty();
        assertThat(a.removeUser("ann")).isFalse();
    }

    /** A node remembers its successful logins, but a change made on another node takes effect at once. */
    @Test
    void rememberedLoginsNeverOutliveAChangeMadeOnAnotherNode() {
        a.addUser("ann", MailAddress.parse("ann@example.com"), "s3cret".toCharArray());
        assertThat(b.authenticate("ann", "wrong".toCharArray())).isEmpty();
        assertThat(b.verificationCache().size()).as("failures are not remembered").isZero();
        assertThat(b.authenticate("ann", "s3cret".toCharArray())).isPresent();
        assertThat(b.verificationCache().size()).isEqualTo(1);
        assertThat(b.authenticate("ann", "s3cret".toCharArray())).isPresent();
        assertThat(a.setPassword("ann", "new".toCharArray())).isTrue();
        assertThat(b.authenticate("ann", "s3cret".toCharArray())).as("the old password on the other node").isEmpty();
        assertThat(b.authenticate("ann", "new".toCharArray())).isPresent();
        assertThat(a.setDisabled("ann", true)).isTrue();
        assertThat(b.authenticate("ann", "new".toCharArray())).as("disabled on the other node").isEmpty();
        a.setDisabled("ann", false);
        assertThat(a.removeUser("ann")).isTrue();
        assertThat(b.authenticate("ann", "new".toCharArray())).as("removed on the other node").isEmpty();
    }

    @Test
    void conflictsAndBadInputAreRefusedWithAReason() {
        a.addUser("ann", MailAddress.parse("ann@example.com"), "x".toCharArray());
        assertThatThrownBy(() -> b.addUser("ANN", MailAddress.parse("other@example.com"), "x".toCharArray()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already exists");
        assertThatThrownBy(() -> b.addUser("bob", MailAddress.parse("ANN@example.com"), "x".toCharArray()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already exists");
        assertThatThrownBy(() -> b.addAlias(MailAddress.parse("ann@example.com"), "ann"))
                .hasMessageContaining("own address");
        assertThatThrownBy(() -> b.addAlias(MailAddress.parse("x@example.com"), "nobody"))
                .hasMessageContaining("no user nobody");
        assertThatThrownBy(() -> b.addUser("has space", MailAddress.parse("s@example.com"), "x".toCharArray()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.addUserWithHash("carl", MailAddress.parse("c@example.com"), "{plain}x"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.addDomain("exa mple.com")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PostgresUserDirectory.builder(dbA).passwordHashIterations(10).build())
                .hasMessageContaining("at least 1000");
    }

    @Test
    void namesThatLookLikeSqlAreOnlyNames() {
        String evil = "x'OR'1'='1";
        a.addUser(evil, MailAddress.parse("\"x'or'1'='1\"@example.com"), "pw".toCharArray());
        a.addUser("plain", MailAddress.parse("plain@example.com"), "pw".toCharArray());
        assertThat(b.authenticate("' OR '1'='1", "pw".toCharArray())).isEmpty();
        assertThat(b.authenticate("plain' --", "pw".toCharArray())).isEmpty();
        assertThat(b.findByUsername("%")).isEmpty();
        assertThat(b.authenticate(evil, "pw".toCharArray())).map(MailUser::username).contains(evil);
        assertThat(b.usernames()).containsExactly("plain", evil);
    }

    @Test
    void aHashMadeElsewhereInModularCryptFormLogsIn() {
        String hash = PasswordHash.create("from-a-file".toCharArray(), 1000, new SecureRandom()).encoded();
        a.addUserWithHash("dan", MailAddress.parse("dan@example.com"), hash);
        Optional<MailUser> u = b.authenticate("dan", "from-a-file".toCharArray());
        assertThat(u).map(MailUser::address).contains(MailAddress.parse("dan@example.com"));
    }

    @Test
    void aPop3ServerOnTheOtherNodeLogsUsersInThroughIt() throws Exception {
        a.addUser("ann", MailAddress.parse("ann@example.com"), "pw".toCharArray());
        try (PostgresMailStore store = PostgresMailStore.builder(dbB).build();
             Pop3Server pop = Pop3Server.builder().users(b).store(store).requireTlsForLogin(false)
                     .authFailurePenalty(AuthFailurePenalty.none()).build().start();
             RawClient c = new RawClient(pop.port(), Duration.ofSeconds(10))) {
            assertThat(c.readLine()).startsWith("+OK");
            assertThat(c.command("USER ann")).startsWith("+OK");
            assertThat(c.command("PASS wrong")).startsWith("-ERR [AUTH]");
            assertThat(c.command("USER ann")).startsWith("+OK");
            assertThat(c.command("PASS pw")).startsWith("+OK");
            assertThat(c.command("STAT")).isEqualTo("+OK 0 0");
        }
    }
}
