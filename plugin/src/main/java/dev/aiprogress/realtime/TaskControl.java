package dev.aiprogress.realtime;

import dev.aiprogress.event.ProgressEvent;

import java.util.List;
import java.util.Optional;

/** What a socket may ask of the tasks; {@code gateway} implements it. Only a user's own tasks are touched. */
public interface TaskControl {

    /** Cancels the task if it is running and belongs to {@code userId}; true when it was cancelled. */
    default boolean cancel(String userId, String taskId) {
        return false;
    }

    /**
     * Events of the user's own task with {@code seq > afterSeq}, in order (an empty list when none
     * are newer); empty for an unknown task or another user's, so the socket can refuse.
     */
    default Optional<List<ProgressEvent>> eventsAfter(String userId, String taskId, long afterSeq) {
        return Optional.empty();
    }

    /** Accepts nothing and knows no events. */
    TaskControl NONE = new TaskControl() {
    };
}
