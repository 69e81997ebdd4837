package dev.mailkit.imap.internal.command;

import java.util.List;

/**
 * What a FETCH asks for: its items in the order given (macros expanded), and summaries the executor needs before it
 * reads any message.
 */
public record FetchRequest(List<FetchItem> items) {
    public FetchRequest {
        items = List.copyOf(items);
    }

    /** Whether the request contains the attribute. */
    public boolean has(FetchAttribute a) {
        return items.contains(a);
    }

    /** Whether fetching sets \Seen (a non-peek body section, RFC822 or RFC822.TEXT). */
    public boolean setsSeen() {
        for (FetchItem i : items) {
            if (i == FetchAttribute.RFC822 || i == FetchAttribute.RFC822_TEXT
                    || i instanceof BodySection b && b.setsSeen()) {
                return true;
            }
        }
        return false;
    }

    /** Whether any item needs the message's content or structure (not only index data). */
    public boolean needsContent() {
        for (FetchItem i : items) {
            if (i instanceof BodySection || i == FetchAttribute.RFC822 || i == FetchAttribute.RFC822_HEADER
                    || i == FetchAttribute.RFC822_TEXT || i == FetchAttribute.PREVIEW
                    || i == FetchAttribute.EMAILID || i == FetchAttribute.THREADID) {
                return true;
            }
        }
        return false;
    }

    /** The same request with the attribute first, if missing (UID FETCH always returns UID). */
    public FetchRequest withFirst(FetchAttribute a) {
        if (items.contains(a)) {
            return this;
        }
        java.util.ArrayList<FetchItem> l = new java.util.ArrayList<>(items.size() + 1);
        l.add(a);
        l.addAll(items);
        return new FetchRequest(l);
    }

    /** The same request with the attribute last, if missing. */
    public FetchRequest withLast(FetchAttribute a) {
        if (items.contains(a)) {
            return this;
        }
        java.util.ArrayList<FetchItem> l = new java.util.ArrayList<>(items);
        l.add(a);
        return new FetchRequest(l);
    }
}
