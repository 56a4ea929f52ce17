package dev.aiprogress.realtime.socketio;

/**
 * One HTTP request of the long-polling transport that waits for its answer: the servlet side
 * implements it over an {@code AsyncContext}, tests over a future. Never blocks.
 */
public interface PollExchange {

    String TEXT = "text/plain; charset=UTF-8";
    String JSON = "application/json";

    /** Answers the request; only the first call counts. */
    void respond(int status, String contentType, String body);

    /** {@code 200} with Engine.IO packets (a payload) or {@code ok}. */
    default void ok(String body) {
        respond(200, TEXT, body);
    }

    /** The refusal's status and JSON body. */
    default void refuse(EngineError error) {
        respond(error.status(), JSON, error.json());
    }
}
