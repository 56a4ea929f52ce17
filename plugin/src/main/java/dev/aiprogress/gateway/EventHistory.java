package dev.aiprogress.gateway;

import dev.aiprogress.event.ProgressEvent;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/** The last events of one task, for resume. Bounded by count: the oldest go first. Not thread-safe. */
final class EventHistory {

    private final int limit;
    private final ArrayDeque<ProgressEvent> events = new ArrayDeque<>();

    EventHistory(int limit) {
        this.limit = limit;
    }

    void add(ProgressEvent event) {
        if (limit == 0) {
            return;
        }
        if (events.size() == limit) {
            events.removeFirst();
        }
        events.addLast(event);
    }

    /** Events with a seq greater than {@code seq}, oldest first; a gap before the first means some were dropped. */
    List<ProgressEvent> after(long seq) {
        List<ProgressEvent> out = new ArrayList<>();
        for (ProgressEvent e : events) {
            if (e.seq() > seq) {
                out.add(e);
            }
        }
        return out;
    }
}
