package dev.mailkit.store.mime;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/** A parsed {@code Content-Type} (or {@code Content-Disposition}) value, leniently: invalid types are text/plain. */
final class ContentType {
    String type;
    String subtype;
    List<MimeParameter> parameters = List.of();
    byte[] boundary;

    boolean isMultipart() {
        return type.equalsIgnoreCase("multipart");
    }

    boolean isMessage() {
        return type.equalsIgnoreCase("message")
                && (subtype.equalsIgnoreCase("rfc822") || subtype.equalsIgnoreCase("global"));
    }

    static ContentType parse(String value, boolean digestChild) {
        ContentType ct = new ContentType();
        Tokenizer t = value == null ? null : new Tokenizer(value);
        String type = t == null ? null : t.token();
        String subtype = null;
        if (type != null && t.skip('/')) {
            subtype = t.token();
        }
        if (type == null || subtype == null) {
            ct.type = digestChild ? "message" : "text";
            ct.subtype = digestChild ? "rfc822" : "plain";
            return ct;
        }
        ct.type = type;
        ct.subtype = subtype;
        ct.parameters = t.parameters();
        if (ct.isMultipart()) {
            String b = null;
            for (MimeParameter p : ct.parameters) {
                if (p.name().equalsIgnoreCase("boundary")) {
                    b = p.value();
                    break;
                }
            }
            if (b != null && !b.isEmpty()) {
                byte[] bytes = b.getBytes(StandardCharsets.UTF_8);
                ct.boundary = bytes.length > MessageStructure.MAX_BOUNDARY_LENGTH
                        ? Arrays.copyOf(bytes, MessageStructure.MAX_BOUNDARY_LENGTH) : bytes;
            }
        }
        return ct;
    }

    static ContentType parseDisposition(String value) {
        Tokenizer t = new Tokenizer(value);
        String type = t.token();
        if (type == null) {
            return null;
        }
        ContentType d = new ContentType();
        d.type = type;
        d.parameters = t.parameters();
        return d;
    }
}

