package dev.mailkit.imap.testing;

import dev.mailkit.imap.internal.message.EnvelopeFields;
import dev.mailkit.imap.internal.message.MimePart;
import dev.mailkit.imap.internal.message.Param;

import java.util.ArrayList;
import java.util.List;

/** A hand-made MimePart for encoder tests (the store provides the real, parsed ones). */
public final class TestPart implements MimePart {
    public String type;
    public String subtype;
    public List<Param> params = new ArrayList<>();
    public String id;
    public String description;
    public String encoding;
    public String md5;
    public String dispositionType;
    public List<Param> dispositionParams = new ArrayList<>();
    public List<String> language = new ArrayList<>();
    public String location;
    public long headerOffset;
    public long bodyOffset;
    public long endOffset;
    public long lines;
    public List<TestPart> children = new ArrayList<>();
    public EnvelopeFields envelope;
    public TestPart message;

    public static TestPart of(String type, String subtype) {
        TestPart p = new TestPart();
        p.type = type;
        p.subtype = subtype;
        return p;
    }

    public TestPart param(String name, String value) {
        params.add(new Param(name, value));
        return this;
    }

    public TestPart offsets(long header, long body, long end) {
        headerOffset = header;
        bodyOffset = body;
        endOffset = end;
        return this;
    }

    public TestPart lines(long n) {
        lines = n;
        return this;
    }

    public TestPart child(TestPart c) {
        children.add(c);
        return this;
    }

    @Override public String type() { return type; }
    @Override public String subtype() { return subtype; }
    @Override public List<Param> params() { return params; }
    @Override public String id() { return id; }
    @Override public String description() { return description; }
    @Override public String encoding() { return encoding; }
    @Override public String md5() { return md5; }
    @Override public String dispositionType() { return dispositionType; }
    @Override public List<Param> dispositionParams() { return dispositionParams; }
    @Override public List<String> language() { return language; }
    @Override public String location() { return location; }
    @Override public long headerOffset() { return headerOffset; }
    @Override public long bodyOffset() { return bodyOffset; }
    @Override public long endOffset() { return endOffset; }
    @Override public long lines() { return lines; }
    @Override public List<? extends MimePart> children() { return children; }
    @Override public EnvelopeFields messageEnvelope() { return envelope; }
    @Override public MimePart message() { return message; }
}
