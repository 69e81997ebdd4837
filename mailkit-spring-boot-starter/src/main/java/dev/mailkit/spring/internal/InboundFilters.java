package dev.mailkit.spring.internal;

import dev.mailkit.core.filter.MailFilter;

import java.util.List;

/** The filters that {@code mailkit.smtp.dnsbl-zones} and {@code mailkit.smtp.inbound-auth} ask for, in order. */
public final class InboundFilters {
    private final List<MailFilter> filters;

    InboundFilters(List<MailFilter> filters) {
        this.filters = List.copyOf(filters);
    }

    /** The filters: the DNS blocklists first (they act at connect), then SPF, DKIM and DMARC. */
    public List<MailFilter> filters() {
        return filters;
    }
}
