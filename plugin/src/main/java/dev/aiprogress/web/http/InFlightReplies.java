package dev.aiprogress.web.http;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * How many chat replies are still being written, so a shutdown can cancel the generations and
 * then give their final replies a moment to reach the clients instead of cutting the connections
 * under them (a client would otherwise see an empty 200). Guarded by {@code this}.
 */
final class InFlightReplies {

    private int open;

    synchronized void opened() {
        open++;
    }

    synchronized void closed() {
        if (open > 0) {
            open--;
        }
        if (open == 0) {
            notifyAll();
        }
    }

    synchronized int open() {
        return open;
    }

    /** Waits until no reply is open or {@code limit} passed; true when none is open. */
    synchronized boolean awaitNone(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (open > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }
}
