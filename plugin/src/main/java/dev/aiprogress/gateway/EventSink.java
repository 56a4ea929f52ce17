package dev.aiprogress.gateway;

import dev.aiprogress.event.ProgressEvent;
import dev.aiprogress.realtime.EventPublisher;


/**
 * Where one generation's events go: every realtime session of the owner ({@link EventPublisher},
 * whose replay window also serves resumes) and the caller's {@link GenerationObserver}. Keeps none
 * of them: a live stream's events are not held twice. A failing subscriber is logged and does not
 * stop the generation. Not thread-safe: the generation's lock serialises it.
 */
final class EventSink {

    private static final System.Logger LOG = System.getLogger(EventSink.class.getName());

    private final String taskId;
    private final String owner;
    private final EventPublisher publisher;
    private final GenerationObserver observer;

    EventSink(String taskId, String owner, EventPublisher publisher, GenerationObserver observer) {
        this.taskId = taskId;
        this.owner = owner;
        this.publisher = publisher;
        this.observer = observer;
    }

    void deliver(ProgressEvent event) {
        try {
            publisher.publish(owner, event);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "AIP-027 task " + taskId + ": publishing event " + event.seq() + " failed", e);
        }
        try {
            observer.onEvent(event);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "AIP-028 task " + taskId + ": observer failed on event " + event.seq(), e);
        }
    }

    void finished(GenerationResult result) {
        try {
            observer.onFinished(result);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "AIP-028 task " + taskId + ": observer failed on finish", e);
        }
    }
}
