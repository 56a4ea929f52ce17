package dev.aiprogress.gateway;

import dev.aiprogress.provider.ProviderFailure;
import dev.aiprogress.provider.StreamHandle;
import dev.aiprogress.provider.StreamListener;
import dev.aiprogress.stream.Coalescer;
import dev.aiprogress.stream.Delta;
import dev.aiprogress.stream.ReasoningSplitter;
import dev.aiprogress.stream.TaskScheduler;

/**
 * One call to one provider on behalf of a {@link Generation}: its own splitter (that provider's
 * tag rules) and coalescer, its stream handle and its first-token timer. Everything it hears is
 * handed to the generation, which ignores attempts it has moved past.
 */
final class Attempt implements StreamListener {

    static final Runnable NO_TIMER = () -> { };

    final Generation generation;
    final ConfiguredProvider provider;
    final String model;
    final ReasoningSplitter splitter;
    final Coalescer coalescer;

    // Guarded by the generation's lock.
    /** Set once {@code ChatProvider.stream} returned; null before. */
    StreamHandle handle;
    /** The first reasoning/text/tool-call delta arrived: from now on a failure ends the task. */
    boolean tokenSeen;
    /** The generation dropped this attempt (timeout, cancel): its handle must be cancelled. */
    boolean abandoned;
    /** Cancels the first-token timer. */
    Runnable firstTokenTimer = NO_TIMER;

    Attempt(Generation generation, ConfiguredProvider provider, String model, Coalescer.Options emit,
            TaskScheduler scheduler) {
        this.generation = generation;
        this.provider = provider;
        this.model = model;
        this.coalescer = new Coalescer(emit, scheduler, chunk -> generation.onCoalesced(this, chunk));
        this.splitter = new ReasoningSplitter(provider.settings().tagRules(), chunk -> generation.onSplit(this, chunk));
    }

    /** This attempt's stream is over for the generation: stops its timer. Caller holds the generation's lock. */
    void end() {
        firstTokenTimer.run();
        firstTokenTimer = NO_TIMER;
    }

    @Override
    public void onDelta(Delta delta) {
        generation.onDelta(this, delta);
    }

    @Override
    public void onComplete() {
        generation.onAttemptComplete(this);
    }

    @Override
    public void onFailure(ProviderFailure failure) {
        generation.onAttemptFailed(this, AttemptFailure.of(failure, provider.name()));
    }
}
