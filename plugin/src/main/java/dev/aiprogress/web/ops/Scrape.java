package dev.aiprogress.web.ops;

/** Where {@code GET /ai-progress/metrics} gets its body: Micrometer's Prometheus registry or the plugin's own writer. */
interface Scrape extends AutoCloseable {

    String scrape();

    String contentType();

    /** Which one, for the startup line and the {@code X-AI-Progress-Metrics} header: {@code micrometer} or {@code plugin}. */
    default String backend() {
        return "micrometer";
    }

    @Override
    default void close() {
    }
}
