package dev.mailkit.search.internal;

import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.BytesTermAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;
import org.apache.lucene.util.BytesRef;

import java.util.List;

/**
 * The trigram terms of a message's texts (see {@link Trigrams}), as binary terms: one per character, the texts
 * separated by a gap of positions so that no phrase spans two texts. Not thread-safe; one per field value.
 */
final class TrigramTokenStream extends TokenStream {
    /** Positions skipped between two texts. */
    static final int GAP = 4;

    private final BytesTermAttribute term = addAttribute(BytesTermAttribute.class);
    private final PositionIncrementAttribute increment = addAttribute(PositionIncrementAttribute.class);
    private final List<String> texts;
    private final byte[] bytes = new byte[6];
    private final BytesRef ref = new BytesRef(bytes);
    private int text = -1;
    private char[] folded = new char[0];
    private int pos;
    private boolean first = true;

    TrigramTokenStream(List<String> texts) {
        this.texts = texts;
    }

    @Override
    public boolean incrementToken() {
        while (pos >= folded.length) {
            if (++text >= texts.size()) {
                return false;
            }
            folded = Trigrams.fold(texts.get(text));
            pos = 0;
            if (folded.length > 0 && !first) {
                increment.setPositionIncrement(1 + GAP);
                return emit();
            }
        }
        increment.setPositionIncrement(1);
        return emit();
    }

    private boolean emit() {
        Trigrams.term(folded, folded.length, pos++, bytes);
        ref.length = 6;
        term.setBytesRef(ref);
        first = false;
        return true;
    }

    @Override
    public void reset() throws java.io.IOException {
        super.reset();
        text = -1;
        folded = new char[0];
        pos = 0;
        first = true;
    }
}
