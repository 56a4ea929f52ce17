package dev.aiprogress.gateway;

import java.util.Objects;

/** What {@link Gateway#start} returns: the running generation, or why none was started. */
public sealed interface StartResult permits StartResult.Started, StartResult.Rejected {

    record Started(Generation generation) implements StartResult {
        public Started {
            Objects.requireNonNull(generation, "generation");
        }
    }

    /** Nothing was started and nothing was emitted; {@code message} is written for the user. */
    record Rejected(Reason reason, String message) implements StartResult {
        public Rejected {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(message, "message");
        }
    }

    /** Why a start was refused, with the HTTP status the web layer answers. */
    enum Reason {
        UNKNOWN_PROVIDER(400),
        MODEL_NOT_ALLOWED(400),
        INVALID_TASK_ID(400),
        DUPLICATE_TASK(409),
        TOO_MANY_GENERATIONS(429),
        SHUTTING_DOWN(503);

        private final int httpStatus;

        Reason(int httpStatus) {
            this.httpStatus = httpStatus;
        }

        public int httpStatus() {
            return httpStatus;
        }
    }
}
