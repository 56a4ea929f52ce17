package dev.aiprogress.stream;

import java.util.List;

/**
 * The opener ({@code <name>}) and closer ({@code </name>}) strings of a {@link TagRules} tag set,
 * matched ASCII case-insensitively at a {@code '<'} (docs/SPLITTER.md, rule 1).
 *
 * <p>A match result is a tag id ({@code >= 0}), {@link #PARTIAL} or {@link #NONE}. Ids
 * {@code 0..n-1} are the openers of tag {@code i}, ids {@code n..2n-1} its closers. Every tag ends
 * in {@code '>'} and no name contains one, so a complete tag is never a prefix of another: the
 * first full match is the only one.
 */
final class TagMatcher {

    /** The text so far could still become a tag: more input is needed. */
    static final int PARTIAL = -1;
    /** The text cannot become any tag in question. */
    static final int NONE = -2;

    /** Closer selector: every closer of the set ends the block (implicit start, rule 4). */
    static final int ANY_CLOSER = -1;
    /** Closer selector: no closer is looked for. */
    static final int NO_CLOSER = -2;

    private final String[] tags;
    private final int names;

    TagMatcher(List<String> lowerCaseNames) {
        names = lowerCaseNames.size();
        tags = new String[2 * names];
        for (int i = 0; i < names; i++) {
            tags[i] = "<" + lowerCaseNames.get(i) + ">";
            tags[names + i] = "</" + lowerCaseNames.get(i) + ">";
        }
    }

    boolean isOpener(int id) {
        return id < names;
    }

    /** The tag-set index of an opener or closer id. */
    int nameIndex(int id) {
        return id < names ? id : id - names;
    }

    int length(int id) {
        return tags[id].length();
    }

    /**
     * Matches the text at {@code at} (which holds {@code '<'}) against the openers (when
     * {@code openers}) and the closers chosen by {@code closer} (a name index, {@link #ANY_CLOSER}
     * or {@link #NO_CLOSER}).
     */
    int match(CharSequence text, int at, boolean openers, int closer) {
        int available = text.length() - at;
        boolean partial = false;
        if (openers) {
            for (int id = 0; id < names; id++) {
                int r = matchOne(text, at, available, id);
                if (r >= 0) return r;
                partial |= r == PARTIAL;
            }
        }
        if (closer == ANY_CLOSER) {
            for (int id = names; id < 2 * names; id++) {
                int r = matchOne(text, at, available, id);
                if (r >= 0) return r;
                partial |= r == PARTIAL;
            }
        } else if (closer >= 0) {
            int r = matchOne(text, at, available, names + closer);
            if (r >= 0) return r;
            partial |= r == PARTIAL;
        }
        return partial ? PARTIAL : NONE;
    }

    private int matchOne(CharSequence text, int at, int available, int id) {
        String tag = tags[id];
        int compared = Math.min(tag.length(), available);
        for (int k = 0; k < compared; k++) {
            if (asciiLower(text.charAt(at + k)) != tag.charAt(k)) return NONE;
        }
        return compared == tag.length() ? id : PARTIAL;
    }

    /** Only ASCII letters fold: {@code 'ı'} or the Kelvin sign must not match {@code i} or {@code k}. */
    private static char asciiLower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
    }
}
