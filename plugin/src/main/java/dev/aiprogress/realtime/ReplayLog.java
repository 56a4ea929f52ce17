package dev.aiprogress.realtime;

import dev.aiprogress.event.ProgressEvent;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The recent events of one user, each with its offset (a number increasing per user), kept per task
 * as a compact {@link TaskTrail}. Serves three needs: a socket that connects while a task runs gets
 * that task's events so far, a socket that reconnects with a Socket.IO offset gets what it missed,
 * and a plain-WebSocket {@code resume} gets a task's events after a seq.
 *
 * <p>A task stays for {@code maxAge} after its last event (running tasks keep refreshing that), so a
 * finished task leaves once the window has passed it; the sweep the hub runs on a timer makes sure of
 * that without further traffic. Past {@code maxEvents} or {@code maxBytes} the least recently used
 * task (appended to or read) goes first: whole when it has finished, else its oldest events. What comes out is merged: consecutive deltas of one type are
 * one event, as an outbox merges them (lossless, the last seq, offset and timestamp).
 *
 * <p>Not thread-safe: the {@link Hub} calls it under the user's lock.
 */
public final class ReplayLog {

    /** One event to replay, with the offset a socket acknowledges it by. */
    public record Entry(long offset, ProgressEvent event) {
    }

    private final long maxAgeNanos;
    private final int maxEvents;
    private final long maxBytes;
    /** By task id, least recently used first (access order: each append or read moves its task last). */
    private final LinkedHashMap<String, TaskTrail> trails = new LinkedHashMap<>(4, 0.75f, true);
    private long bytes;
    private int events;
    /** The offset of the last event appended; 0 before the first. */
    private long lastOffset;
    /** The highest offset ever evicted: a recovery from below it has lost events. */
    private long evictedThrough;

    public ReplayLog(long maxAgeNanos, int maxEvents, long maxBytes) {
        this.maxAgeNanos = maxAgeNanos;
        this.maxEvents = maxEvents;
        this.maxBytes = maxBytes;
    }

    /** Remembers an event and returns its offset. */
    public long append(ProgressEvent event, long nowNanos) {
        long offset = ++lastOffset;
        if (maxEvents == 0 || maxBytes == 0) {
            evictedThrough = offset; // replay is off: every event is gone at once
            return offset;
        }
        TaskTrail trail = trails.get(event.taskId());
        if (trail == null || event.seq() == 1 && trail.terminal()) {
            // a new task, or a new one reusing the id of a finished one
            if (trail != null) {
                evict(trail);
            }
            trail = new TaskTrail(event.taskId(), offset, event.seq());
            trails.put(event.taskId(), trail);
        }
        bytes += trail.append(event, offset, nowNanos);
        events++;
        trimToBounds();
        return offset;
    }

    /**
     * Appends an event from the cluster's shared window unless the window already holds an event of
     * its task with the same or a later {@code seq} (so each task stays in order and nothing repeats).
     */
    void appendIfNewer(ProgressEvent event, long nowNanos) {
        TaskTrail trail = trails.get(event.taskId());
        if (trail != null && trail.lastSeq() >= event.seq()) {
            return;
        }
        append(event, nowNanos);
    }

    /** False when the window already holds this event of its task (same or a later seq) and it is no new task reusing the id. */
    boolean isNewer(ProgressEvent event) {
        TaskTrail trail = trails.get(event.taskId());
        return trail == null || trail.lastSeq() < event.seq() || (event.seq() == 1 && trail.terminal());
    }

    /**
     * What a Socket.IO offset carries on many nodes besides the number ({@link RecoveryOffset}):
     * {@code .<node tag>} and, for each task in the window, {@code ~<last seq at or before offset>.<task id>};
     * only the tag when there are more than {@link RecoveryOffset#MAX_TASKS} tasks (the offset then
     * recovers on this node only).
     */
    String offsetSuffix(String nodeTag, long atOffset) {
        StringBuilder out = new StringBuilder(16 + 24 * trails.size()).append('.').append(nodeTag);
        int tasks = 0;
        for (TaskTrail trail : trails.values()) {
            long seq = atOffset >= lastOffset ? trail.lastSeq() : trail.seqAtOrBefore(atOffset);
            if (seq <= 0) {
                continue;
            }
            if (++tasks > RecoveryOffset.MAX_TASKS) {
                return "." + nodeTag;
            }
            out.append('~').append(seq).append('.').append(trail.taskId);
        }
        return out.toString();
    }

    /**
     * For a socket that saw each task of {@code seen} up to its seq (on another node): every event
     * of those tasks after it, and every event of the window's other tasks; empty when some of that
     * already left the window (recovery must fail then).
     */
    Optional<List<Entry>> afterSeen(java.util.Map<String, Long> seen, long nowNanos) {
        trim(nowNanos);
        List<Entry> out = new ArrayList<>();
        for (TaskTrail trail : trails.values()) {
            if (trail.isEmpty()) {
                continue;
            }
            long after = seen.getOrDefault(trail.taskId, 0L);
            if (trail.firstSeq() > after + 1) {
                return Optional.empty();
            }
            trail.afterSeq(after, out::add);
        }
        out.sort(Comparator.comparingLong(Entry::offset));
        return Optional.of(out);
    }

    /** The offset of the newest event, 0 if none was ever appended. */
    public long lastOffset() {
        return lastOffset;
    }

    /**
     * What a brand-new socket should see: the events of every task without a terminal event
     * ({@code completion}, {@code complete}, {@code error}) in the window. The real client closes its
     * socket on any {@code complete}, and the HTTP reply of a finished task already carries its answer.
     */
    public List<Entry> forNewSocket(long nowNanos) {
        trim(nowNanos);
        List<Entry> out = new ArrayList<>();
        for (TaskTrail trail : trails.values()) {
            if (!trail.terminal()) {
                trail.afterOffset(0, out::add);
            }
        }
        out.sort(Comparator.comparingLong(Entry::offset));
        return out;
    }

    /**
     * The tasks with a terminal event in the window. A socket that joins now must not get their
     * later events either: a {@code complete} right behind the {@code completion} would close it.
     */
    public Set<String> finishedTasks(long nowNanos) {
        trim(nowNanos);
        Set<String> finished = new HashSet<>();
        for (TaskTrail trail : trails.values()) {
            if (trail.terminal()) {
                finished.add(trail.taskId);
            }
        }
        return finished.isEmpty() ? Set.of() : Set.copyOf(finished);
    }

    /**
     * Everything after {@code offset}, for connection state recovery; empty when events after it
     * have already left the window (or the offset is from the future), so recovery must fail.
     */
    public Optional<List<Entry>> after(long offset, long nowNanos) {
        trim(nowNanos);
        if (offset < evictedThrough || offset > lastOffset || offset < 0) {
            return Optional.empty();
        }
        List<Entry> out = new ArrayList<>();
        for (TaskTrail trail : trails.values()) {
            if (trail.lastOffset() > offset) {
                trail.afterOffset(offset, out::add);
            }
        }
        out.sort(Comparator.comparingLong(Entry::offset));
        return Optional.of(out);
    }

    /**
     * One task's events with a seq above {@code afterSeq} (a plain-WebSocket {@code resume}); empty
     * when the window holds no event of that task.
     */
    public Optional<List<ProgressEvent>> taskEventsAfter(String taskId, long afterSeq, long nowNanos) {
        trim(nowNanos);
        TaskTrail trail = trails.get(taskId);
        if (trail == null || trail.isEmpty()) {
            return Optional.empty();
        }
        List<ProgressEvent> out = new ArrayList<>();
        trail.afterSeq(afterSeq, e -> out.add(e.event()));
        return Optional.of(out);
    }

    /** True when nothing is kept any more (the hub may forget an idle user). */
    public boolean isEmpty(long nowNanos) {
        trim(nowNanos);
        return trails.isEmpty();
    }

    /** Events kept. */
    public int size() {
        return events;
    }

    /** Drops the tasks whose last event is older than the window. */
    public void trim(long nowNanos) {
        // every trail is looked at: a read (resume, recovery) also moves a trail in the access order
        Iterator<TaskTrail> all = trails.values().iterator();
        while (all.hasNext()) {
            TaskTrail trail = all.next();
            if (nowNanos - trail.lastActivityNanos > maxAgeNanos) {
                all.remove();
                forget(trail);
            }
        }
    }

    private void trimToBounds() {
        while (events > maxEvents || bytes > maxBytes) {
            TaskTrail oldest = trails.values().iterator().next();
            if (oldest.terminal() && trails.size() > 1) {
                // a finished task goes whole: no socket can join it, and recovery into it is rare
                trails.remove(oldest.taskId);
                forget(oldest);
                continue;
            }
            evictedThrough = Math.max(evictedThrough, oldest.firstOffset());
            bytes -= oldest.dropFirst();
            events--;
            if (oldest.isEmpty()) {
                trails.remove(oldest.taskId);
            }
        }
    }

    private void evict(TaskTrail trail) {
        trails.remove(trail.taskId);
        forget(trail);
    }

    /** Accounts for a whole trail leaving the window. */
    private void forget(TaskTrail trail) {
        if (!trail.isEmpty()) {
            evictedThrough = Math.max(evictedThrough, trail.lastOffset());
        }
        bytes -= trail.weight();
        events -= trail.size();
    }
}
