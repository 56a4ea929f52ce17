package dev.aiprogress.gateway;

/** The answer to a cancel request. */
public enum CancelOutcome {
    /** The task was running and is now cancelled. */
    CANCELLED,
    /** The task had already finished (completed, failed or cancelled); nothing changed. */
    ALREADY_FINISHED,
    /**
     * No such task for this user. Also the answer when the task belongs to someone else, so a
     * caller cannot learn that another user's task id exists.
     */
    NOT_FOUND
}
