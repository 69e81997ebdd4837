package dev.mailkit.core.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The PROXY protocol header (HAProxy's specification, versions 1 and 2), read exactly: version 1 a byte at a time up
 * to its line end (107 bytes at most), version 2 its 16-byte head and the length it gives (at most 2048). Addresses
 * are parsed as literals only (never looked up). Stateless.
 */
public final class ProxyHeader {
    private static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
    private static final int V1_MAX = 107;
    private static final int V2_MAX_LENGTH = 2048;

    private ProxyHeader() {
    }

    /**
     * Reads a header; returns the client it names, or null for a header that names none (v1 {@code UNKNOWN}, v2
     * {@code LOCAL} or a family other than TCP over IPv4/IPv6).
     *
     * @throws ProtocolException if it is not a valid header
     * @throws EOFException      if the connection ends first
     */
    public static InetSocketAddress read(InputStream in) throws IOException {
        int first = in.read();
        if (first < 0) {
            throw new EOFException("the connection ended before the PROXY header");
        }
        if (first == 'P') {
            return v1(in);
        }
        if (first == 0x0D) {
            return v2(in);
        }
        throw new ProtocolException("not a PROXY header (first byte " + first + ")");
    }

    private static InetSocketAddress v1(InputStream in) throws IOException {
        byte[] line = new byte[V1_MAX];
        line[0] = 'P';
        int n = 1;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("the connection ended inside the PROXY header");
            }
            if (n == V1_MAX) {
                throw new ProtocolException("PROXY header longer than 107 bytes");
            }
            line[n++] = (byte) b;
            if (b == '\n') {
                break;
            }
            if (b < 0x20 && b != '\r' || b > 0x7e) {
                throw new ProtocolException("PROXY header with a control or non-ASCII byte");
            }
        }
        if (n < 2 || line[n - 2] != '\r') {
            throw new ProtocolException("PROXY header not ended by CRLF");
        }
        String text = new String(line, 0, n - 2, StandardCharsets.US_ASCII);
        String[] f = text.split(" ", -1);
        if (f.length < 2 || !f[0].equals("PROXY")) {
            throw new ProtocolException("not a PROXY v1 header");
        }
        if (f[1].equals("UNKNOWN")) {
            return null;
        }
        if (f.length != 6 || !(f[1].equals("TCP4") || f[1].equals("TCP6"))) {
            throw new ProtocolException("PROXY v1 header needs TCP4|TCP6 and four fields");
        }
        boolean v4 = f[1].equals("TCP4");
        InetAddress src = literal(f[2], v4);
        literal(f[3], v4);
        int sport = port(f[4]);
        port(f[5]);
        return new InetSocketAddress(src, sport);
    }

    private static InetAddress literal(String s, boolean v4) throws ProtocolException {
        boolean ok = v4 ? s.matches("(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]"
                + "|[1-9]?[0-9])){3}") : s.matches("[0-9a-fA-F:.]{2,45}") && s.contains(":");
        if (!ok) {
            throw new ProtocolException("not an IPv" + (v4 ? "4" : "6") + " address literal in the PROXY header");
        }
        try {
            InetAddress a = InetAddress.getByName(s); // a literal: no lookup
            if (v4 && !(a instanceof Inet4Address)) {
                throw new ProtocolException("not an IPv4 address in the PROXY header");
            }
            return a;
        } catch (java.net.UnknownHostException e) {
            throw new ProtocolException("not an address literal in the PROXY header");
        }
    }

    private static int port(String s) throws ProtocolException {
        if (!s.matches("0|[1-9][0-9]{0,4}") || Integer.parseInt(s) > 65535) {
            throw new ProtocolException("not a port in the PROXY header");
        }
        return Integer.parseInt(s);
    }

    private static InetSocketAddress v2(InputStream in) throws IOException {
        byte[] head = new byte[16];
        head[0] = 0x0D;
        readFully(in, head, 1, 15);
        if (!Arrays.equals(head, 0, 12, V2_SIGNATURE, 0, 12)) {
            throw new ProtocolException("not a PROXY v2 signature");
        }
        int verCmd = head[12] & 0xff;
        if ((verCmd >> 4) != 2 || (verCmd & 0x0f) > 1) {
            throw new ProtocolException("PROXY v2 header with version/command " + verCmd);
        }
        int family = head[13] & 0xff;
        int length = ((head[14] & 0xff) << 8) | (head[15] & 0xff);
        if (length > V2_MAX_LENGTH) {
            throw new ProtocolException("PROXY v2 header of " + length + " bytes");
        }
        byte[] body = new byte[length];
        readFully(in, body, 0, length);
        boolean local = (verCmd & 0x0f) == 0;
        if (local) {
            return null;
        }
        if (family == 0x11) {
            if (length < 12) {
                throw new ProtocolException("PROXY v2 TCP4 header too short");
            }
            InetAddress src = Inet4Address.getByAddress(Arrays.copyOfRange(body, 0, 4));
            return new InetSocketAddress(src, ((body[8] & 0xff) << 8) | (body[9] & 0xff));
        }
        if (family == 0x21) {
            if (length < 36) {
                throw new ProtocolException("PROXY v2 TCP6 header too short");
            }
            InetAddress src = InetAddress.getByAddress(Arrays.copyOfRange(body, 0, 16));
            return new InetSocketAddress(src, ((body[32] & 0xff) << 8) | (body[33] & 0xff));
        }
        if (family == 0x00 || family == 0x12 || family == 0x22 || family == 0x31 || family == 0x32) {
            return null; // unspecified, UDP or UNIX: the connection's own address
        }
        throw new ProtocolException("PROXY v2 header with address family " + family);
    }

    private static void readFully(InputStream in, byte[] b, int off, int len) throws IOException {
        int n = in.readNBytes(b, off, len);
        if (n < len) {
            throw new EOFException("the connection ended inside the PROXY header");
        }
    }
}
