package dev.mailkit.core.internal;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal ASN.1 DER writer and reader: just what generating a self-signed X.509 certificate and reading PKCS#1
 * and SEC1 private keys needs. Not a general ASN.1 library.
 */
public final class Der {
    public static final int INTEGER = 0x02;
    public static final int BIT_STRING = 0x03;
    public static final int OCTET_STRING = 0x04;
    public static final int NULL = 0x05;
    public static final int OID = 0x06;
    public static final int UTF8_STRING = 0x0C;
    public static final int UTC_TIME = 0x17;
    public static final int GENERALIZED_TIME = 0x18;
    public static final int SEQUENCE = 0x30;
    public static final int SET = 0x31;
    public static final int BOOLEAN = 0x01;

    private Der() {
    }

    /** Encodes one TLV. */
    public static byte[] tlv(int tag, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(value.length + 6);
        out.write(tag);
        int len = value.length;
        if (len < 0x80) {
            out.write(len);
        } else if (len < 0x100) {
            out.write(0x81);
            out.write(len);
        } else if (len < 0x10000) {
            out.write(0x82);
            out.write(len >> 8);
            out.write(len);
        } else {
            out.write(0x83);
            out.write(len >> 16);
            out.write(len >> 8);
            out.write(len);
        }
        out.writeBytes(value);
        return out.toByteArray();
    }

    /** Concatenates already encoded elements. */
    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    public static byte[] sequence(byte[]... elements) {
        return tlv(SEQUENCE, concat(elements));
    }

    public static byte[] set(byte[]... elements) {
        return tlv(SET, concat(elements));
    }

    public static byte[] integer(BigInteger v) {
        return tlv(INTEGER, v.toByteArray());
    }

    public static byte[] integer(long v) {
        return integer(BigInteger.valueOf(v));
    }

    public static byte[] bool(boolean v) {
        return tlv(BOOLEAN, new byte[] {(byte) (v ? 0xFF : 0)});
    }

    public static byte[] nullValue() {
        return new byte[] {NULL, 0};
    }

    public static byte[] octetString(byte[] v) {
        return tlv(OCTET_STRING, v);
    }

    /** A BIT STRING with no unused bits. */
    public static byte[] bitString(byte[] v) {
        byte[] b = new byte[v.length + 1];
        System.arraycopy(v, 0, b, 1, v.length);
        return tlv(BIT_STRING, b);
    }

    public static byte[] utf8String(String s) {
        return tlv(UTF8_STRING, s.getBytes(StandardCharsets.UTF_8));
    }

    /** UTCTime before 2050, GeneralizedTime from 2050 on (RFC 5280 4.1.2.5). */
    public static byte[] time(ZonedDateTime t) {
        ZonedDateTime utc = t.withZoneSameInstant(ZoneOffset.UTC);
        if (utc.getYear() < 2050) {
            return tlv(UTC_TIME, utc.format(DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'"))
                    .getBytes(StandardCharsets.US_ASCII));
        }
        return tlv(GENERALIZED_TIME, utc.format(DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'"))
                .getBytes(StandardCharsets.US_ASCII));
    }

    /** An explicitly tagged, constructed context-specific element {@code [n]}. */
    public static byte[] explicit(int n, byte[] content) {
        return tlv(0xA0 | n, content);
    }

    /** An implicitly tagged primitive context-specific element {@code [n]}. */
    public static byte[] implicitPrimitive(int n, byte[] value) {
        return tlv(0x80 | n, value);
    }

    /** Encodes a dotted OID such as {@code 1.2.840.10045.4.3.2}. */
    public static byte[] oid(String dotted) {
        String[] parts = dotted.split("\\.");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(Integer.parseInt(parts[0]) * 40 + Integer.parseInt(parts[1]));
        for (int i = 2; i < parts.length; i++) {
            long v = Long.parseLong(parts[i]);
            byte[] tmp = new byte[10];
            int n = 0;
            do {
                tmp[n++] = (byte) (v & 0x7F);
                v >>>= 7;
            } while (v != 0);
            for (int j = n - 1; j >= 0; j--) {
                out.write(tmp[j] | (j > 0 ? 0x80 : 0));
            }
        }
        return tlv(OID, out.toByteArray());
    }

    /** Decodes the value of an OID element back to dotted form. */
    public static String oidToString(byte[] value) {
        StringBuilder sb = new StringBuilder();
        int first = value[0] & 0xFF;
        sb.append(Math.min(first / 40, 2)).append('.').append(first - Math.min(first / 40, 2) * 40);
        long v = 0;
        for (int i = 1; i < value.length; i++) {
            v = (v << 7) | (value[i] & 0x7F);
            if ((value[i] & 0x80) == 0) {
                sb.append('.').append(v);
                v = 0;
            }
        }
        return sb.toString();
    }

    /** One decoded element: its tag, its value bytes and the whole encoding. */
    public static final class Element {
        public final int tag;
        public final byte[] value;
        public final byte[] encoded;

        Element(int tag, byte[] value, byte[] encoded) {
            this.tag = tag;
            this.value = value;
            this.encoded = encoded;
        }

        /** The children of a constructed element. */
        public List<Element> children() {
            return readAll(value);
        }
    }

    /** Reads the single element at the start of the bytes. */
    public static Element read(byte[] der) {
        return readAt(der, 0);
    }

    /** Reads every element in a run of encodings. */
    public static List<Element> readAll(byte[] der) {
        List<Element> out = new ArrayList<>();
        int pos = 0;
        while (pos < der.length) {
            Element e = readAt(der, pos);
            out.add(e);
            pos += e.encoded.length;
        }
        return out;
    }

    private static Element readAt(byte[] der, int start) {
        int pos = start;
        if (pos + 2 > der.length) {
            throw new IllegalArgumentException("truncated DER");
        }
        int tag = der[pos++] & 0xFF;
        int len = der[pos++] & 0xFF;
        if (len >= 0x80) {
            int n = len & 0x7F;
            if (n == 0 || n > 4 || pos + n > der.length) {
                throw new IllegalArgumentException("unsupported DER length");
            }
            len = 0;
            for (int i = 0; i < n; i++) {
                len = (len << 8) | (der[pos++] & 0xFF);
            }
        }
        if (len < 0 || pos + len > der.length) {
            throw new IllegalArgumentException("truncated DER");
        }
        byte[] value = new byte[len];
        System.arraycopy(der, pos, value, 0, len);
        byte[] encoded = new byte[pos + len - start];
        System.arraycopy(der, start, encoded, 0, encoded.length);
        return new Element(tag, value, encoded);
    }
}
