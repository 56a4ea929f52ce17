package dev.aiprogress.realtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** An in-memory socket: records frames; sends complete at once or when the test says so. */
public final class RecordingSink implements FrameSink {

    public final List<String> frames = new ArrayList<>();
    public final List<String> closes = new ArrayList<>();
    private final boolean completeAtOnce;
    private Completion pending;
    int maxInFlight;
    private int inFlight;

    public RecordingSink(boolean completeAtOnce) {
        this.completeAtOnce = completeAtOnce;
    }

    @Override
    public synchronized void sendText(String text, Completion completion) {
        frames.add(text);
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        if (completeAtOnce) {
            inFlight--;
            completion.done(Optional.empty());
        } else {
            pending = completion;
        }
    }

    /** Completes the send in flight, as the container would later. */
    public void completeOne() {
        Completion c;
        synchronized (this) {
            c = pending;
            pending = null;
            inFlight--;
        }
        c.done(Optional.empty());
    }

    synchronized boolean hasPending() {
        return pending != null;
    }

    @Override
    public synchronized void close(int code, String reason) {
        closes.add(code + " " + reason);
    }

    /** Recorded apart from {@link #close}: only a peer that stopped reading is abandoned. */
    public final List<String> abandons = new ArrayList<>();

    @Override
    public synchronized void abandon(int code, String reason) {
        abandons.add(code + " " + reason);
        close(code, reason);
    }
}
