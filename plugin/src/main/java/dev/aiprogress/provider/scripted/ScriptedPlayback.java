package dev.aiprogress.provider.scripted;

import dev.aiprogress.provider.ProviderFailure;
import dev.aiprogress.provider.StreamHandle;
import dev.aiprogress.provider.StreamListener;

import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Plays one {@link ScriptedReply}: one scheduled task per delta, each scheduling the next after
 * the pacing delay, so no thread ever sleeps and only one task is pending at a time. Every
 * listener call happens under {@code lock}, which keeps them serial even when {@link #cancel()}
 * comes from another thread; {@code terminated} makes the terminal call happen exactly once.
 */
final class ScriptedPlayback implements StreamHandle {

    private final ScriptedReply reply;
    private final StreamListener listener;
    private final ScheduledExecutorService scheduler;
    private final long pacingNanos;
    private final Object lock = new Object();
    private final AtomicBoolean cancelRequested = new AtomicBoolean();

    /** Guarded by lock: the next delta to deliver, the pending task, whether the terminal call was made. */
    private int next;
    private Future<?> pending;
    private boolean terminated;

    ScriptedPlayback(ScriptedReply reply, StreamListener listener, ScheduledExecutorService scheduler, Duration pacing) {
        this.reply = reply;
        this.listener = listener;
        this.scheduler = scheduler;
        this.pacingNanos = Math.max(0, pacing.toNanos());
    }

    void start() {
        scheduleNext();
    }

    private void scheduleNext() {
        synchronized (lock) {
            if (terminated || cancelRequested.get()) {
                return;
            }
            try {
                pending = scheduler.schedule(this::step, pacingNanos, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                terminated = true;
                listener.onFailure(ProviderFailure.of(ProviderFailure.Kind.CANCELLED, "the scripted provider was shut down"));
            }
        }
    }

    private void step() {
        synchronized (lock) {
            if (terminated || cancelRequested.get()) {
                return;
            }
            if (next < reply.deltas().size()) {
                listener.onDelta(reply.deltas().get(next++));
            } else {
                terminated = true;
                reply.failure().ifPresentOrElse(listener::onFailure, listener::onComplete);
                return;
            }
        }
        scheduleNext();
    }

    /** Stops the playback; the CANCELLED failure is delivered on the scheduler (or here if it is shut down). */
    @Override
    public void cancel() {
        if (!cancelRequested.compareAndSet(false, true)) {
            return;
        }
        synchronized (lock) {
            if (pending != null) {
                pending.cancel(false);
            }
        }
        try {
            scheduler.execute(this::deliverCancelled);
        } catch (RejectedExecutionException e) {
            deliverCancelled();
        }
    }

    private void deliverCancelled() {
        synchronized (lock) {
            if (terminated) {
                return;
            }
            terminated = true;
            listener.onFailure(ProviderFailure.of(ProviderFailure.Kind.CANCELLED, "cancelled"));
        }
    }
}
