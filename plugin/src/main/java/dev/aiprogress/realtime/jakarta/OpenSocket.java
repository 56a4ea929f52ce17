package dev.aiprogress.realtime.jakarta;

import dev.aiprogress.realtime.RealtimeCounters;

import java.util.concurrent.atomic.AtomicBoolean;

/** Counts one endpoint instance's socket in the open-sockets gauge exactly once, whether it ends by close or error. */
final class OpenSocket {

    private final RealtimeCounters counters;
    private final RealtimeCounters.Transport transport;
    private final AtomicBoolean open = new AtomicBoolean();

    OpenSocket(RealtimeCounters counters, RealtimeCounters.Transport transport) {
        this.counters = counters;
        this.transport = transport;
    }

    void opened() {
        if (open.compareAndSet(false, true)) {
            counters.socketOpened(transport);
        }
    }

    void closed() {
        if (open.compareAndSet(true, false)) {
            counters.socketClosed(transport);
        }
    }
}
