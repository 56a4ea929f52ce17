package dev.aiprogress.event;

import java.util.Locale;

/** The {@code type} of an {@code ai_progress} event. {@link #THINKING} and {@link #COMPLETE} are Oropendola compat events. */
public enum EventType {
    REASONING, TEXT, TOOL_CALL, COMPLETION, ERROR, THINKING, COMPLETE;

    private final String wireName = name().toLowerCase(Locale.ROOT);

    /** The name on the wire: {@code reasoning}, {@code tool_call}, ... */
    public String wireName() {
        return wireName;
    }

    /** True for the streamed pieces ({@code reasoning}, {@code text}) that an outbox may merge. */
    public boolean isDelta() {
        return this == REASONING || this == TEXT;
    }

    /** True for the events that end a task ({@code completion}, {@code complete}, {@code error}). */
    public boolean isTerminal() {
        return this == COMPLETION || this == COMPLETE || this == ERROR;
    }
}
