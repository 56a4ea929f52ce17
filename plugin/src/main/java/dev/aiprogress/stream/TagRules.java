package dev.aiprogress.stream;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * How the splitter finds inline reasoning (docs/SPLITTER.md, rules 1-4). Tag names are ASCII and
 * compared case-insensitively; they are stored lower-case.
 */
public record TagRules(List<String> tags, Mode mode, boolean startInReasoning) {

    public enum Mode {
        /** An opener counts only at the start of the answer, after optional whitespace. */
        LEADING,
        /** Any opener starts a reasoning block; several blocks are allowed. */
        ANYWHERE
    }

    public static final TagRules DEFAULT = new TagRules(List.of("think", "thinking"), Mode.LEADING, false);

    public TagRules {
        Objects.requireNonNull(tags, "tags");
        Objects.requireNonNull(mode, "mode");
        if (tags.isEmpty()) {
            throw new IllegalArgumentException("tags: at least one tag name is needed");
        }
        tags = tags.stream().map(t -> validTagName(t).toLowerCase(Locale.ROOT)).distinct().toList();
    }

    private static String validTagName(String tag) {
        Objects.requireNonNull(tag, "tag");
        if (tag.isEmpty() || !tag.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c) || c == '_' || c == '-'))) {
            throw new IllegalArgumentException("tags: '" + tag + "' is not an ASCII tag name");
        }
        return tag;
    }
}
