package dev.mailkit.examples;

import dev.mailkit.examples.cli.Cli;
import dev.mailkit.postgres.PostgresCluster;
import dev.mailkit.smtp.SmtpRole;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --store postgres} keeps the relay queue in the database, and {@code mailkit queue ...} acts on it: a message
 * the smart host cannot take is a row there, held and released (the row says so), and deleted (the row is gone).
 */
class CliQueueOnPostgresTest {
    @TempDir
    Path dir;

    private static String run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Cli.run(args, new ByteArrayInputStream(new byte[0]), new PrintStream(out, true,
                StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String row(String schema, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(PostgresCluster.get().jdbcUrl());
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql.replace("Q.", schema + "."))) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    @Test
    void theQueueInTheDatabaseIsListedHeldReleasedAndDeleted() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort(); // a smart host that refuses connections: the message stays queued
        }
        String schema = PostgresCluster.get().newSchema();
        Path data = dir.resolve("data");
        ServerOptions o = ServerOptions.parse("--smtp-port", "0", "--submission-port", "0", "--smtps-port", "0",
                "--imap-port", "0", "--imaps-port", "0", "--pop3-port", "0", "--pop3s-port", "0",
                "--managesieve-port", "0", "--http-port", "0", "--domain", "local.test", "--data", data.toString(),
                "--relay-host", "127.0.0.1:" + closed, "--trusted-network", "127.0.0.0/8", "--store", "postgres",
                "--db-url", PostgresCluster.get().jdbcUrl(), "--db-schema", schema, "--node-name", "cli1",
                "--queue-lease", "5");
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        try (MailkitServerMain.Running r = MailkitServerMain.start(o, out);
             ControlChannel control = ControlChannel.serve(r, out)) {
            assertThat(r.relay().directory()).isNull();
            ExamplesTestSupport.send(r.smtp().port(SmtpRole.MX), "app@local.test", "friend@remote.test", "stuck", null,
                    null, null);
            String list = run("queue", "list", "--data", data.toString());
            assertThat(list).contains("from <app@local.test>  to [friend@remote.test]").endsWith("1 messages\n");
            Matcher m = Pattern.compile("^(\\S+)  \\d+ bytes", Pattern.MULTILINE).matcher(list);
            assertThat(m.find()).isTrue();
            String id = m.group(1);
            assertThat(row(schema, "SELECT owner || ' ' || committed || ' ' || held FROM Q.mk_queue_message "
                    + "WHERE id = '" + id + "'")).isEqualTo("cli1 true false");
            assertThat(row(schema, "SELECT address || ' ' || state FROM Q.mk_queue_recipient WHERE message_id = '"
                    + id + "'")).isEqualTo("friend@remote.test P");

            assertThat(run("queue", "hold", "--data", data.toString(), id)).isEqualTo(id + ": held\n");
            assertThat(row(schema, "SELECT held FROM Q.mk_queue_message WHERE id = '" + id + "'")).isEqualTo("t");
            assertThat(run("queue", "release", "--data", data.toString(), id)).isEqualTo(id + ": released\n");
            assertThat(row(schema, "SELECT held FROM Q.mk_queue_message WHERE id = '" + id + "'")).isEqualTo("f");
            assertThat(run("queue", "delete", "--data", data.toString(), id)).isEqualTo(id + ": deleted\n");
            assertThat(row(schema, "SELECT count(*) FROM Q.mk_queue_message")).isEqualTo("0");
            assertThat(row(schema, "SELECT count(*) FROM Q.mk_queue_chunk")).isEqualTo("0");
            assertThat(run("queue", "list", "--data", data.toString())).isEqualTo("0 messages\n");
        }
    }

    private static ServerOptions node(Path data, String schema, String name, int relayPort) throws Exception {
        return ServerOptions.parse("--smtp-port", "0", "--submission-port", "0", "--smtps-port", "0",
                "--imap-port", "0", "--imaps-port", "0", "--pop3-port", "0", "--pop3s-port", "0",
                "--managesieve-port", "0", "--http-port", "0", "--domain", "local.test", "--data", data.toString(),
                "--relay-host", "127.0.0.1:" + relayPort, "--trusted-network", "127.0.0.0/8", "--store", "postgres",
                "--db-url", PostgresCluster.get().jdbcUrl(), "--db-schema", schema, "--node-name", name,
                "--queue-lease", "30");
    }

    /**
     * Two nodes on one database: a message queued by node 1 is listed and shown through node 2, held there (node 2
     * takes it over: the row is node 2's under a new lease epoch), released and deleted through node 1 (which takes
     * it back); flushing through node 2 attempts node 1's other message (taken over, attempted, still queued).
     */
    @Test
    void theWholeSharedQueueIsListedAndManagedFromAnyNode() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        String schema = PostgresCluster.get().newSchema();
        Path data1 = dir.resolve("data1");
        Path data2 = dir.resolve("data2");
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        try (MailkitServerMain.Running n1 = MailkitServerMain.start(node(data1, schema, "qn1", closed), out);
             ControlChannel c1 = ControlChannel.serve(n1, out);
             MailkitServerMain.Running n2 = MailkitServerMain.start(node(data2, schema, "qn2", closed), out);
             ControlChannel c2 = ControlChannel.serve(n2, out)) {
            ExamplesTestSupport.send(n1.smtp().port(SmtpRole.MX), "app@local.test", "friend@remote.test", "one", null,
                    null, null);
            ExamplesTestSupport.send(n1.smtp().port(SmtpRole.MX), "app@local.test", "other@remote.test", "two", null,
                    null, null);
            String list = run("queue", "list", "--data", data2.toString());
            assertThat(list).contains("to [friend@remote.test]", "to [other@remote.test]").endsWith("2 messages\n");
            Matcher m = Pattern.compile("^(\\S+)  \\d+ bytes .*to \\[friend@remote.test\\]", Pattern.MULTILINE)
                    .matcher(list);
            assertThat(m.find()).isTrue();
            String id = m.group(1);
            assertThat(run("queue", "show", "--data", data2.toString(), id)).startsWith(id + "  ")
                    .contains("<friend@remote.test> PENDING");
            assertThat(row(schema, "SELECT owner || ' ' || lease_epoch FROM Q.mk_queue_message WHERE id = '" + id
                    + "'")).isEqualTo("qn1 0");

            assertThat(run("queue", "hold", "--data", data2.toString(), id)).isEqualTo(id + ": held\n");
            assertThat(row(schema, "SELECT owner || ' ' || lease_epoch || ' ' || held FROM Q.mk_queue_message "
                    + "WHERE id = '" + id + "'")).isEqualTo("qn2 1 true");
            assertThat(run("queue", "list", "--data", data1.toString())).contains(id + "  ").contains("HELD")
                    .endsWith("2 messages\n");
            assertThat(run("queue", "release", "--data", data1.toString(), id)).isEqualTo(id + ": released\n");
            assertThat(row(schema, "SELECT owner || ' ' || lease_epoch || ' ' || held FROM Q.mk_queue_message "
                    + "WHERE id = '" + id + "'")).isEqualTo("qn1 2 false");
            assertThat(run("queue", "hold", "--data", data2.toString(), id)).isEqualTo(id + ": held\n");
            assertThat(run("queue", "delete", "--data", data1.toString(), id)).isEqualTo(id + ": deleted\n");
            assertThat(row(schema, "SELECT count(*) FROM Q.mk_queue_message WHERE id = '" + id + "'")).isEqualTo("0");
            assertThat(run("queue", "list", "--data", data2.toString())).doesNotContain(id)
                    .endsWith("1 messages\n");

            String other = row(schema, "SELECT id FROM Q.mk_queue_message");
            int before = Integer.parseInt(row(schema, "SELECT attempts FROM Q.mk_queue_message WHERE id = '" + other
                    + "'"));
            assertThat(run("queue", "flush", "--data", data2.toString())).isEqualTo("1 messages retried now\n");
            assertThat(row(schema, "SELECT owner FROM Q.mk_queue_message WHERE id = '" + other + "'"))
                    .isEqualTo("qn2");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (Integer.parseInt(row(schema, "SELECT attempts FROM Q.mk_queue_message WHERE id = '" + other
                    + "'")) <= before) {
                assertThat(System.nanoTime()).as("the flushed message attempted by node 2").isLessThan(deadline);
                new CountDownLatch(1).await(20, TimeUnit.MILLISECONDS);
            }
            assertThat(run("queue", "show", "--data", data1.toString(), other)).contains("<other@remote.test> PENDING");
        }
    }
}
