package dev.aiprogress.realtime;

import dev.aiprogress.event.ProgressEvent;

/** Where a generation's events go: every realtime session of the user (the {@code Hub}, or a cluster bus). */
public interface EventPublisher {

    /** Must not block; called from HTTP client threads. */
    void publish(String userId, ProgressEvent event);
}
