package dev.aiprogress.provider.scripted;

import java.util.Locale;

/** How the scripted model behaves, chosen by model name; any other name plays {@link #REASONER}. */
enum ScriptedVariant {
    /** {@code scripted-reasoner}: native reasoning deltas, then the answer. */
    REASONER("scripted-reasoner"),
    /** {@code scripted-inline}: reasoning inside {@code <think>…</think>} in the content, tags cut mid-tag. */
    INLINE("scripted-inline"),
    /** {@code scripted-tools}: reasoning, a sentence, then a tool call (an answer once a tool result is sent back). */
    TOOLS("scripted-tools"),
    /** {@code scripted-fail}: reasoning and half the answer, then an {@code UPSTREAM_ERROR}. */
    FAIL("scripted-fail"),
    /** {@code scripted-slow}: long reasoning (dozens of steps), for showing cancel. */
    SLOW("scripted-slow");

    final String model;

    ScriptedVariant(String model) {
        this.model = model;
    }

    static ScriptedVariant forModel(String model) {
        String m = model.strip().toLowerCase(Locale.ROOT);
        for (ScriptedVariant v : values()) {
            if (v.model.equals(m)) {
                return v;
            }
        }
        return REASONER;
    }
}
