package dev.aiprogress.gateway;

import dev.aiprogress.event.ProgressEvent;
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
 * The generations of this node by task id: the live ones, and the finished ones for a short time
 * (bounded by count and age) so a client can still resume or learn that its task ended.
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

    private record Finished(Generation generation, long finishedAtNanos) {
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

    /** A generation ended: it stops counting against its owner and is kept for a while. */
    synchronized void finished(Generation generation) {
        TaskKey key = TaskKey.of(generation);
        if (!live.remove(key, generation)) {
            return;
        }
        livePerUser.computeIfPresent(generation.owner(), (user, n) -> n <= 1 ? null : n - 1);
        if (finishedKept > 0) {
            finished.put(key, new Finished(generation, scheduler.nanoTime()));
        }
        pruneLocked();
    }

    /** The user's own task, live or recently finished. */
    public synchronized Optional<Generation> find(String taskId, String userId) {
        TaskKey key = new TaskKey(userId, taskId);
        Generation generation = live.get(key);
        if (generation == null) {
            pruneLocked();
            Finished f = finished.get(key);
            generation = f == null ? null : f.generation();
        }
        return Optional.ofNullable(generation);
    }

    /** Cancels the user's own running task. Someone else's task answers {@link CancelOutcome#NOT_FOUND}. */
    public CancelOutcome cancel(String taskId, String userId) {
        Optional<Generation> generation = find(taskId, userId);
        if (generation.isEmpty()) {
            return CancelOutcome.NOT_FOUND;
        }
        return generation.get().cancel() ? CancelOutcome.CANCELLED : CancelOutcome.ALREADY_FINISHED;
    }

    /**
     * For resume: the kept events of the user's own task after {@code seq}; empty when there is no
     * such task for this user. Includes {@code complete}/{@code error} of a finished task; a socket
     * that connected after the task finished must not get those replayed (CLARIFICATIONS.md).
     */
    public Optional<List<ProgressEvent>> eventsAfter(String taskId, String userId, long seq) {
        return find(taskId, userId).map(g -> g.eventsAfter(seq));
    }

    public synchronized int liveCount(String userId) {
        return livePerUser.getOrDefault(userId, 0);
    }

    public synchronized int liveCount() {
        return live.size();
    }

    synchronized List<Generation> liveGenerations() {
        return new ArrayList<>(live.values());
    }

    private void pruneLocked() {
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
