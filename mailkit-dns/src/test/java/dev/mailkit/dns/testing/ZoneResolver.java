package dev.mailkit.dns.testing;

import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SetResponse;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Zone;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/** A dnsjava {@link Resolver} that answers from an in-memory zone, as an authoritative server would. */
public final class ZoneResolver implements Resolver {
    public final Zone zone;
    public final AtomicInteger queries = new AtomicInteger();
    public volatile boolean serverFailure;

    public ZoneResolver(String origin, org.xbill.DNS.Record... records) throws IOException {
        Name o = Name.fromString(origin);
        zone = new Zone(o, new org.xbill.DNS.Record[] {
                new SOARecord(o, DClass.IN, 3600, Name.fromString("ns." + origin), Name.fromString("admin." + origin),
                        1, 3600, 600, 86400, 300),
                new NSRecord(o, DClass.IN, 3600, Name.fromString("ns." + origin))});
        for (org.xbill.DNS.Record r : records) {
            zone.addRecord(r);
        }
    }

    @Override
    public CompletionStage<Message> sendAsync(Message query, Executor executor) {
        queries.incrementAndGet();
        org.xbill.DNS.Record q = query.getQuestion();
        Message r = new Message(query.getHeader().getID());
        r.getHeader().setFlag(Flags.QR);
        r.getHeader().setFlag(Flags.AA);
        r.addRecord(q, Section.QUESTION);
        if (serverFailure) {
            r.getHeader().setRcode(Rcode.SERVFAIL);
            return CompletableFuture.completedFuture(r);
        }
        SetResponse sr = zone.findRecords(q.getName(), q.getType());
        if (sr.isSuccessful()) {
            for (RRset set : sr.answers()) {
                for (org.xbill.DNS.Record rec : set.rrs()) {
                    r.addRecord(rec, Section.ANSWER);
                }
            }
        } else if (sr.isNXDOMAIN()) {
            r.getHeader().setRcode(Rcode.NXDOMAIN);
            r.addRecord(zone.getSOA(), Section.AUTHORITY);
        } else {
            r.addRecord(zone.getSOA(), Section.AUTHORITY); // NODATA: the name exists, the type does not
        }
        return CompletableFuture.completedFuture(r);
    }

    @Override
    public CompletionStage<Message> sendAsync(Message query) {
        return sendAsync(query, Runnable::run);
    }

    @Override
    public void setPort(int port) {
    }

    @Override
    public void setTCP(boolean flag) {
    }

    @Override
    public void setIgnoreTruncation(boolean flag) {
    }

    @Override
    public void setEDNS(int version, int payloadSize, int flags, List<EDNSOption> options) {
    }

    @Override
    public void setTSIGKey(TSIG key) {
    }

    @Override
    public void setTimeout(Duration timeout) {
    }
}
