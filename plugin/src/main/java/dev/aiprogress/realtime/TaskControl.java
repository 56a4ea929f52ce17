package dev.aiprogress.realtime;

import dev.aiprogress.event.ProgressEvent;

import java.util.List;

/** What a socket may ask of the tasks; {@code gateway} implements it. Only a user's own tasks are touched. */
public interface TaskControl {

    /** Cancels the task if it is running and belongs to {@code userId}; true when it was cancelled. */
    default boolean cancel(String userId, String taskId) {
        return false;
    }

    /** Events of the user's own task with {@code seq > afterSeq}, in order; empty for unknown or foreign tasks. */
    default List<ProgressEvent> eventsAfter(String userId, String taskId, long afterSeq) {
        return List.of();
    }

    /** Accepts nothing and knows no events. */
    TaskControl NONE = new TaskControl() {
    };
}
