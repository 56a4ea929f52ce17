package dev.aiprogress.gateway;

import dev.aiprogress.stream.TaskScheduler;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The generations of this node: the live ones, and for a short time (bounded by count and age) a
 * small record of each finished one, so a cancel can answer "already finished" rather than "not
 * found". A finished record holds the owner and the outcome only, never the generation: its text,
 * events and request go with the reply (a resume is served by the realtime replay window). The
 * runtime calls {@link #prune()} every {@link #pruneEvery()}, so expired records leave without
 * waiting for further traffic.
 *
 * <p>A task is the pair (owner, id): ids are unique per user only, so another user's chat with the
 * same id starts normally, and every lookup by anyone else answers "not found", exactly as for an id
 * that does not exist — no one learns that another user's task exists, and no one can replace
 * another user's finished-task record. All state is guarded by {@code this}; no generation method
 * is called while holding it.
 */
public final class Tasks {

    /** A task's identity: its owner and the id the owner (or the gateway) gave it. */
    private record TaskKey(String owner, String id) {
        static TaskKey of(Generation generation) {
            return new TaskKey(generation.owner(), generation.id());
        }
    }

    private record Finished(GenerationState state, long finishedAtNanos) {
    }

    private final int maxLivePerUser;
    private final long retentionNanos;
    private final int finishedKept;
    private final TaskScheduler scheduler;

    private final Map<TaskKey, Generation> live = new HashMap<>();
    private final Map<String, Integer> livePerUser = new HashMap<>();
    /** In finishing order, the oldest first. */
    private final LinkedHashMap<TaskKey, Finished> finished = new LinkedHashMap<>();

    Tasks(int maxLivePerUser, Duration retention, int finishedKept, TaskScheduler scheduler) {
        this.maxLivePerUser = maxLivePerUser;
        this.retentionNanos = retention.toNanos();
        this.finishedKept = finishedKept;
        this.scheduler = scheduler;
    }

    /** How often to {@link #prune()}: a quarter of the retention, 1 to 5 s. */
    public Duration pruneEvery() {
        return Duration.ofNanos(Math.max(1_000_000_000L, Math.min(5_000_000_000L, retentionNanos / 4)));
    }

    /** Adds a generation that is about to begin, or says why it may not. */
    synchronized Optional<StartResult.Rejected> register(Generation generation) {
        TaskKey key = TaskKey.of(generation);
        if (live.containsKey(key)) {
            return Optional.of(new StartResult.Rejected(StartResult.Reason.DUPLICATE_TASK,
                    "A task with id '" + generation.id() + "' is already running."));
        }
        int count = livePerUser.getOrDefault(generation.owner(), 0);
        if (count >= maxLivePerUser) {
            return Optional.of(new StartResult.Rejected(StartResult.Reason.TOO_MANY_GENERATIONS,
                    "Too many generations at once: at most " + maxLivePerUser
                            + " may run per user. Wait for one to finish or cancel one."));
        }
        live.put(key, generation);
        livePerUser.put(generation.owner(), count + 1);
        finished.remove(key);
        return Optional.empty();
    }

    /** A generation ended: it stops counting against its owner and a small record of it is kept for a while. */
    void finished(Generation generation) {
        GenerationState state = generation.state(); // read before taking this lock (see the class comment)
        synchronized (this) {
            TaskKey key = TaskKey.of(generation);
            if (!live.remove(key, generation)) {
                return;
            }
            livePerUser.computeIfPresent(generation.owner(), (user, n) -> n <= 1 ? null : n - 1);
            if (finishedKept > 0) {
                finished.put(key, new Finished(state, scheduler.nanoTime()));
            }
            pruneLocked();
        }
    }

    /** The user's own running task. */
    public synchronized Optional<Generation> find(String taskId, String userId) {
        Generation generation = live.get(new TaskKey(userId, taskId));
        return Optional.ofNullable(generation);
    }

    /** How the user's own recently finished task ended; empty for a running, unknown or forgotten one. */
    public synchronized Optional<GenerationState> finishedState(String taskId, String userId) {
        pruneLocked();
        Finished f = finished.get(new TaskKey(userId, taskId));
        return f == null ? Optional.empty() : Optional.of(f.state());
    }

    /** Cancels the user's own running task. Someone else's task answers {@link CancelOutcome#NOT_FOUND}. */
    public CancelOutcome cancel(String taskId, String userId) {
        Optional<Generation> generation = find(taskId, userId);
        if (generation.isPresent()) {
            return generation.get().cancel() ? CancelOutcome.CANCELLED : CancelOutcome.ALREADY_FINISHED;
        }
        return finishedState(taskId, userId).isPresent() ? CancelOutcome.ALREADY_FINISHED : CancelOutcome.NOT_FOUND;
    }

    public synchronized int liveCount(String userId) {
        return livePerUser.getOrDefault(userId, 0);
    }

    public synchronized int liveCount() {
        return live.size();
    }

    /** Finished tasks still remembered. */
    public synchronized int finishedCount() {
        return finished.size();
    }

    synchronized List<Generation> liveGenerations() {
        return new ArrayList<>(live.values());
    }

    /** Forgets finished tasks past their retention. */
    public synchronized void prune() {
        pruneLocked();
    }

    private void pruneLocked() {
        assert Thread.holdsLock(this);
        long now = scheduler.nanoTime();
        Iterator<Finished> oldestFirst = finished.values().iterator();
        while (oldestFirst.hasNext()) {
            Finished f = oldestFirst.next();
            if (finished.size() > finishedKept || now - f.finishedAtNanos() > retentionNanos) {
                oldestFirst.remove();
            } else {
                break;
            }
        }
    }
}
