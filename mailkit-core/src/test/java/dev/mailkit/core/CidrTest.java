package dev.mailkit.core;

import org.junit.jupiter.api.Test;

import java.net.Inet6Address;
import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Networks in CIDR notation: parsing, matching at prefix boundaries, IPv4-mapped IPv6 clients, mistakes explained. */
class CidrTest {
    static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    /** An IPv4-mapped IPv6 address kept as an Inet6Address (InetAddress.getByName would turn it into IPv4). */
    static InetAddress mapped(int a, int b, int c, int d) throws Exception {
        byte[] bytes = new byte[16];
        bytes[10] = (byte) 0xff;
        bytes[11] = (byte) 0xff;
        bytes[12] = (byte) a;
        bytes[13] = (byte) b;
        bytes[14] = (byte) c;
        bytes[15] = (byte) d;
        return Inet6Address.getByAddress(null, bytes, -1);
    }

    @Test
    void ipv4NetworksMatchAtTheirPrefix() throws Exception {
        Cidr net = Cidr.parse("192.0.2.0/24");
        assertThat(net.contains(ip("192.0.2.0"))).isTrue();
        assertThat(net.contains(ip("192.0.2.255"))).isTrue();
        assertThat(net.contains(ip("192.0.3.0"))).isFalse();
        assertThat(net.contains(ip("192.0.1.255"))).isFalse();
        assertThat(net.isIpv4()).isTrue();
        assertThat(Cidr.parse("10.1.2.3").contains(ip("10.1.2.3"))).isTrue();
        assertThat(Cidr.parse("10.1.2.3").contains(ip("10.1.2.4"))).isFalse();
        assertThat(Cidr.parse("0.0.0.0/0").contains(ip("203.0.113.9"))).isTrue();
        assertThat(Cidr.parse("172.16.0.0/12").contains(ip("172.31.255.255"))).isTrue();
        assertThat(Cidr.parse("172.16.0.0/12").contains(ip("172.32.0.0"))).isFalse();
        assertThat(net.contains(null)).isFalse();
    }

    @Test
    void ipv6NetworksAndFamiliesDoNotMix() throws Exception {
        Cidr net = Cidr.parse("2001:db8::/32");
        assertThat(net.contains(ip("2001:db8::5"))).isTrue();
        assertThat(net.contains(ip("2001:db8:ffff:ffff::1"))).isTrue();
        assertThat(net.contains(ip("2001:db9::1"))).isFalse();
        assertThat(net.contains(ip("192.0.2.7"))).isFalse();
        assertThat(Cidr.parse("192.0.2.0/24").contains(ip("2001:db8::5"))).isFalse();
        assertThat(net.isIpv4()).isFalse();
    }

    @Test
    void ipv4MappedClientsMatchIpv4Networks() throws Exception {
        InetAddress client = mapped(192, 0, 2, 7);
        assertThat(client).isInstanceOf(Inet6Address.class);
        assertThat(Cidr.parse("192.0.2.0/24").contains(client)).isTrue();
        assertThat(Cidr.parse("192.0.3.0/24").contains(client)).isFalse();
        assertThat(Cidr.parse("2001:db8::/32").contains(client)).isFalse();
    }

    @Test
    void ofIgnoresBitsBeyondThePrefix() throws Exception {
        Cidr net = Cidr.of(ip("192.0.2.77"), 24);
        assertThat(net.contains(ip("192.0.2.1"))).isTrue();
        assertThat(net.contains(ip("192.0.3.1"))).isFalse();
        assertThat(Cidr.of(ip("2001:db8::1"), 127).contains(ip("2001:db8::0"))).isTrue();
        assertThat(Cidr.of(ip("2001:db8::1"), 127).contains(ip("2001:db8::2"))).isFalse();
        assertThatThrownBy(() -> Cidr.of(ip("192.0.2.1"), 33)).hasMessageContaining("0..32");
        assertThatThrownBy(() -> Cidr.of(ip("::1"), -1)).hasMessageContaining("0..128");
    }

    @Test
    void mistakesAreExplained() {
        assertThatThrownBy(() -> Cidr.parse("127.0.0.1/8")).hasMessageContaining("did you mean 127.0.0.0/8?");
        assertThatThrownBy(() -> Cidr.parse("example.com/24")).hasMessageContaining("CIDR");
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).hasMessageContaining("0..32");
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/x")).hasMessageContaining("must be a number");
        assertThatThrownBy(() -> Cidr.parse("1.2.3")).hasMessageContaining("CIDR");
        assertThat(Cidr.parse(" 10.0.0.0/8 ").toString()).isEqualTo("10.0.0.0/8");
    }
}
