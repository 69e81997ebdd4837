package dev.mailkit.scan.internal;

import dev.mailkit.core.Envelope;
import dev.mailkit.core.MessageSource;
import dev.mailkit.core.filter.SessionInfo;
import dev.mailkit.scan.FailurePolicy;
import dev.mailkit.scan.Scanner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/** A content scanner at the end of DATA. */
public final class ScannerStep extends Step {
    private final Scanner scanner;

    /** The scanner with its settings. */
    public ScannerStep(Scanner scanner, FailurePolicy policy, long maxSize, Breaker breaker) {
        super(scanner.name(), policy, maxSize, breaker);
        this.scanner = scanner;
    }

    @Override
    public Outcome onData(SessionInfo s, Envelope envelope, MessageSource message) {
        if (message.size() > maxSize) {
            return Outcome.skipped("larger than " + maxSize + " bytes");
        }
        if (!breaker.allows()) {
            return Outcome.failed(breakerReason());
        }
        try {
            Outcome o = Outcome.scanned(scanner.scan(envelope, message));
            breaker.success();
            return o;
        } catch (SkipException e) {
            return Outcome.skipped(Texts.printable(e.getMessage(), 100));
        } catch (IOException | RuntimeException e) {
            boolean opened = breaker.failure();
            Log.LOG.warn("{}: {} failed for {}: {}{}", s.sessionId(), name, envelope.transactionId(), e.toString(),
                    opened ? "; skipping it for a while" : "");
            return Outcome.failed(reason(e));
        }
    }

    @Override
    public String ping() throws IOException {
        return scanner.ping();
    }

    /** The logger, created when first used. */
    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger(ScannerStep.class);
    }
}
