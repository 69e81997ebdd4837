package dev.mailkit.core.server;

import dev.mailkit.core.tls.TlsConfig;
import dev.mailkit.testsupport.RawClient;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ListenerGroupTest {
    private static final TlsConfig TLS = TlsConfig.selfSigned();

    @Test
    void startsInOrderAndStopsAllAgainstOneDeadline() throws Exception {
        List<String> log = new ArrayList<>();
        ListenerGroup g = new ListenerGroup("TEST", List.of(new Fake("a", log, false), new Fake("b", log, false)));
        assertThatThrownBy(() -> g.started(0)).isInstanceOf(IllegalStateException.class)
                .hasMessage("TEST server is not started: call start() first");
        g.start();
        assertThat(g.isRunning()).isTrue();
        assertThatThrownBy(g::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("already started");
        g.close();
        g.close();
        assertThat(g.isRunning()).isFalse();
        assertThat(log).containsExactly("start a", "start b", "stop a", "stop b", "await a", "await b");
        assertThat(((Fake) g.members().get(0)).deadline).isEqualTo(((Fake) g.members().get(1)).deadline)
                .isLessThanOrEqualTo(System.nanoTime() + ListenerGroup.CLOSE_GRACE.toNanos());
        assertThatThrownBy(g::start).hasMessageContaining("already started and closed; build a new one");
    }

    @Test
    void aPortThatCannotBeBoundStopsTheOnesStartedBeforeAndIsNamed() {
        List<String> log = new ArrayList<>();
        ListenerGroup g = new ListenerGroup("TEST", List.of(new Fake("a", log, false), new Fake("b", log, true),
                new Fake("c", log, false)));
        assertThatThrownBy(g::start).isInstanceOf(UncheckedIOException.class)
                .hasMessage("cannot bind b listener to 192.0.2.1:25: Address already in use");
        assertThat(log).containsExactly("start a", "start b", "stop a", "await a");
        assertThat(g.isRunning()).isFalse();
        g.close();
        assertThat(log).hasSize(4);
    }

    @Test
    void thePlainAndImplicitTlsPairSharesItsConnectionLimits() throws Exception {
        ListenerGroup g = ListenerGroup.plainAndImplicitTls("ECHO", TcpServerTest.echo(null).maxConnections(1), 0,
                TLS, 0);
        g.start();
        try (RawClient plain = new RawClient(g.started(0).port())) {
            assertThat(plain.readLine()).isEqualTo("+OK hi");
            assertThat(g.members().get(1).description()).isEqualTo("ECHOS listener");
            // the implicit-TLS port counts the plain port's connection: it is refused (closed without a word)
            try (Socket raw = new Socket("127.0.0.1", g.started(1).port());
                 SSLSocket tls = (SSLSocket) TLS.clientSslContext().getSocketFactory()
                         .createSocket(raw, "localhost", raw.getPort(), true)) {
                tls.setSoTimeout(5000);
                assertThatThrownBy(() -> {
                    tls.startHandshake();
                    if (tls.getInputStream().read() >= 0) {
                        throw new AssertionError("served beyond the shared limit");
                    }
                    throw new java.io.EOFException();
                }).isInstanceOf(java.io.IOException.class);
            }
        } finally {
            g.close();
        }
    }

    @Test
    void aBusyPortIsNamedWithItsAddress() throws Exception {
        try (ServerSocket busy = new ServerSocket()) {
            busy.bind(new InetSocketAddress("127.0.0.1", 0));
            ListenerGroup g = ListenerGroup.plainAndImplicitTls("ECHO", TcpServerTest.echo(null), 0, TLS,
                    busy.getLocalPort());
            assertThatThrownBy(g::start).isInstanceOf(UncheckedIOException.class)
                    .hasMessageStartingWith("cannot bind ECHOS listener to 127.0.0.1:" + busy.getLocalPort() + ": ");
            assertThat(g.members().get(0).port()).isPositive(); // the plain port was bound, then freed again
            assertThat(((TcpServer) g.members().get(0)).isRunning()).isFalse();
        }
    }

    @Test
    void perAddressLimitAboveTheTotalIsRefusedNamingBoth() {
        assertThatThrownBy(() -> ConnectionLimiter.forServer(10, 20)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("maxConnectionsPerAddress (20)").hasMessageContaining("maxConnections (10)");
        assertThat(ConnectionLimiter.forServer(10, 0).maxPerAddress()).isEqualTo(10);
        assertThat(ConnectionLimiter.forServer(1000, 0).maxPerAddress()).isEqualTo(100);
        assertThat(ConnectionLimiter.forServer(1000, 7).maxPerAddress()).isEqualTo(7);
        assertThatThrownBy(() -> TcpServerTest.echo(null).maxConnections(5).maxConnectionsPerAddress(6).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("(6)").hasMessageContaining("(5)");
    }

    /** A member that records what the group does with it. */
    private static final class Fake implements ListenerGroup.Member {
        private final String name;
        private final List<String> log;
        private final boolean busy;

        Fake(String name, List<String> log, boolean busy) {
            this.name = name;
            this.log = log;
            this.busy = busy;
        }

        long deadline;

        @Override
        public ListenerGroup.Member start() {
            log.add("start " + name);
            if (busy) {
                throw new UncheckedIOException(new java.net.BindException("Address already in use"));
            }
            return this;
        }

        @Override
        public String description() {
            return name + " listener";
        }

        @Override
        public String configuredAddress() {
            return "192.0.2.1:25";
        }

        @Override
        public int port() {
            return 25;
        }

        @Override
        public InetSocketAddress localAddress() {
            return new InetSocketAddress("192.0.2.1", 25);
        }

        @Override
        public void beginStop() {
            log.add("stop " + name);
        }

        @Override
        public void awaitStopped(long deadlineNanos) {
            log.add("await " + name);
            deadline = deadlineNanos;
        }
    }
}
