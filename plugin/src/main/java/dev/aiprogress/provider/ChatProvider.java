package dev.aiprogress.provider;

/**
 * One upstream LLM endpoint speaking one streaming dialect. Implementations are thread-safe and
 * hold no per-stream thread: {@link #stream} returns at once and the listener is called from the
 * HTTP client's threads.
 */
public interface ChatProvider {

    /** The configured name ({@code ai-progress.provider.<name>}). */
    String name();

    /** {@code openai}, {@code anthropic}, {@code gemini}, {@code ollama} or {@code scripted}. */
    String dialect();

    /** The model used when a request names none. */
    String defaultModel();

    /**
     * Starts one streaming call. The listener receives deltas in order, never concurrently, then
     * exactly one terminal call: {@link StreamListener#onComplete()} when the stream's end marker
     * arrived, or {@link StreamListener#onFailure(ProviderFailure)} otherwise (including after
     * {@link StreamHandle#cancel()}).
     */
    StreamHandle stream(ChatRequest request, StreamListener listener);
}
