package dev.aiprogress.provider.scripted;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Cuts text into pieces the way a real upstream does: uneven sizes from a fixed cycle, through
 * words, plus cuts forced at chosen places (inside a tag, between the halves of a surrogate pair).
 * Deterministic: the same text and cuts always give the same pieces.
 */
final class TextCutter {

    /** Piece sizes in chars, used in turn. */
    private static final int[] SIZES = {4, 9, 2, 13, 6, 1, 11, 7, 3, 17, 5, 8};

    private TextCutter() {
    }

    /**
     * @param forcedCuts       offsets where a piece must end (ignored outside the text)
     * @param keepSurrogates   true: never cut between a high and a low surrogate (for native
     *                         reasoning fields, which a real upstream sends as whole JSON strings)
     */
    static List<String> cut(String text, SortedSet<Integer> forcedCuts, boolean keepSurrogates) {
        List<String> pieces = new ArrayList<>();
        int start = 0;
        int turn = 0;
        while (start < text.length()) {
            int end = Math.min(text.length(), start + SIZES[turn++ % SIZES.length]);
            SortedSet<Integer> forcedAhead = forcedCuts.subSet(start + 1, end);
            if (!forcedAhead.isEmpty()) {
                end = forcedAhead.first();
            }
            if (keepSurrogates && end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
                end++;
            }
            pieces.add(text.substring(start, end));
            start = end;
        }
        return pieces;
    }

    static List<String> cut(String text, boolean keepSurrogates) {
        return cut(text, new TreeSet<>(), keepSurrogates);
    }
}
