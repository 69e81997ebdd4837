package dev.mailkit.imap.internal.store;

import dev.mailkit.imap.internal.message.EnvelopeFields;
import dev.mailkit.imap.internal.message.MimePart;
import dev.mailkit.imap.internal.message.Param;
import dev.mailkit.store.mime.MessageEnvelope;
import dev.mailkit.store.mime.MessageStructure;
import dev.mailkit.store.mime.MimeParameter;

import java.util.ArrayList;
import java.util.List;

/**
 * Presents the store's cached MIME model ({@link MessageStructure}) through the IMAP encoder's {@link MimePart} and
 * {@link EnvelopeFields}: thin wrappers, created per FETCH, that copy nothing but parameter lists.
 */
public final class StoreParts {
    private StoreParts() {
    }

    /** The message's top-level part. */
    public static MimePart root(MessageStructure s) {
        return new Part(s.body());
    }

    /** The message's envelope fields. */
    public static EnvelopeFields envelope(MessageEnvelope e) {
        return new EnvelopeFields.Of(e.date(), e.subject(), e.from(), e.sender(), e.replyTo(), e.to(), e.cc(), e.bcc(),
                e.inReplyTo(), e.messageId());
    }

    private static List<Param> params(List<MimeParameter> list) {
        if (list.isEmpty()) {
            return List.of();
        }
        List<Param> out = new ArrayList<>(list.size());
        for (MimeParameter p : list) {
            out.add(new Param(p.name(), p.value()));
        }
        return out;
    }

    private static final class Part implements MimePart {
        private final dev.mailkit.store.mime.MimePart p;
        private List<Part> children;

        Part(dev.mailkit.store.mime.MimePart p) {
            this.p = p;
        }

        @Override
        public String type() {
            return p.type();
        }

        @Override
        public String subtype() {
            return p.subtype();
        }

        @Override
        public List<Param> params() {
            return StoreParts.params(p.parameters());
        }

        @Override
        public String id() {
            return p.id();
        }

        @Override
        public String description() {
            return p.description();
        }

        @Override
        public String encoding() {
            return p.transferEncoding();
        }

        @Override
        public String md5() {
            return p.md5();
        }

        @Override
        public String dispositionType() {
            return p.dispositionType();
        }

        @Override
        public List<Param> dispositionParams() {
            return StoreParts.params(p.dispositionParameters());
        }

        @Override
        public List<String> language() {
            return p.languages();
        }

        @Override
        public String location() {
            return p.location();
        }

        @Override
        public long headerOffset() {
            return p.headerOffset();
        }

        @Override
        public long bodyOffset() {
            return p.bodyOffset();
        }

        @Override
        public long endOffset() {
            return p.bodyOffset() + p.bodyLength();
        }

        @Override
        public long lines() {
            return p.bodyLines();
        }

        @Override
        public List<? extends MimePart> children() {
            if (children == null) {
                List<Part> c = new ArrayList<>(p.children().size());
                for (dev.mailkit.store.mime.MimePart x : p.children()) {
                    c.add(new Part(x));
                }
                children = c;
            }
            return children;
        }

        @Override
        public EnvelopeFields messageEnvelope() {
            MessageStructure m = p.message();
            return m == null ? null : envelope(m.envelope());
        }

        @Override
        public MimePart message() {
            MessageStructure m = p.message();
            return m == null ? null : new Part(m.body());
        }

        @Override
        public boolean isMultipart() {
            return p.isMultipart();
        }

        @Override
        public boolean isMessage() {
            return p.message() != null;
        }
    }
}
