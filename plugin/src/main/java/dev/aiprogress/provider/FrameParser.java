package dev.aiprogress.provider;

import dev.aiprogress.stream.Delta;

import java.util.function.Consumer;

/**
 * Reads one stream's frames in order and emits deltas. One instance per stream; called serially.
 * A mid-stream error object or unreadable frame is reported by throwing {@link StreamFailure}.
 */
public interface FrameParser {

    enum Result {
        /** Keep reading. */
        CONTINUE,
        /** This frame was the end marker ({@code [DONE]}, {@code message_stop}, {@code done:true}). */
        END
    }

    /**
     * @param event the SSE {@code event:} name, or {@code null} when there is none (and for NDJSON)
     * @param data  the SSE data (multi-line data joined with {@code \n}) or one NDJSON line
     */
    Result onFrame(String event, String data, Consumer<Delta> out) throws StreamFailure;

    /**
     * The body ended before any frame returned {@link Result#END}. The parser may emit final deltas
     * (e.g. assembled tool calls) and says whether that is a proper end: Gemini ends with the body
     * after a {@code finishReason}; OpenAI-compatible servers that send a finish reason but no
     * {@code [DONE]} are accepted too. Otherwise it throws a {@link ProviderFailure.Kind#TRUNCATED} failure.
     */
    void onEndOfBody(Consumer<Delta> out) throws StreamFailure;

    /** Carries a {@link ProviderFailure} out of the parser. */
    final class StreamFailure extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient ProviderFailure failure;

        public StreamFailure(ProviderFailure failure) {
            super(failure.message(), null, false, false);
            this.failure = failure;
        }

        public ProviderFailure failure() {
            return failure;
        }
    }
}
