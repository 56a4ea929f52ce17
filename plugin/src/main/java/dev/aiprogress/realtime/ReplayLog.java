package dev.aiprogress.realtime;

import dev.aiprogress.event.ProgressEvent;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The recent events of one user, bounded by age, count and bytes, each with its offset (a number
 * increasing per user). Serves two needs: a socket that connects shortly after a task started gets
 * that task's first events, and a socket that reconnects with a Socket.IO offset gets what it
 * missed. Not thread-safe: the {@link Hub} calls it under the user's lock.
 */
public final class ReplayLog {

    /** One remembered event. */
    public record Entry(long offset, ProgressEvent event, String json, long atNanos, int bytes) {
    }

    private final long maxAgeNanos;
    private final int maxEvents;
    private final long maxBytes;
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private long bytes;
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
    public long append(ProgressEvent event, String json, long nowNanos) {
        return append(event, json, Outbox.countedBytes(event, json), nowNanos);
    }

    /** Same, with the event's weight ({@link Outbox#countedBytes}) already known. */
    long append(ProgressEvent event, String json, int size, long nowNanos) {
        long offset = ++lastOffset;
        entries.addLast(new Entry(offset, event, json, nowNanos, size));
        bytes += size;
        trim(nowNanos);
        return offset;
    }

    /**
     * Appends an event from the cluster's shared window unless the window already holds an event of
     * its task with the same or a later {@code seq} (so each task stays in order and nothing repeats).
     */
    void appendIfNewer(ProgressEvent event, String json, int size, long nowNanos) {
        for (Entry e : entries) {
            if (e.event().taskId().equals(event.taskId()) && e.event().seq() >= event.seq()) {
                return;
            }
        }
        append(event, json, size, nowNanos);
    }

    /** The offset of the newest event, 0 if none was ever appended. */
    public long lastOffset() {
        return lastOffset;
    }

    /**
     * What a brand-new socket should see: the window's events, minus every event of a task whose
     * terminal event ({@code completion}, {@code complete}, {@code error}) is already in the window.
     * The real client closes its socket on any {@code complete}, and the HTTP reply of a finished
     * task already carries its whole answer.
     */
    public List<Entry> forNewSocket(long nowNanos) {
        Set<String> finished = finishedTasks(nowNanos);
        List<Entry> out = new ArrayList<>();
        for (Entry e : entries) {
            if (!finished.contains(e.event().taskId())) {
                out.add(e);
            }
        }
        return out;
    }

    /**
     * The tasks with a terminal event in the window. A socket that joins now must not get their
     * later events either: a {@code complete} right behind the {@code completion} would close it.
     */
    public Set<String> finishedTasks(long nowNanos) {
        trim(nowNanos);
        Set<String> finished = new HashSet<>();
        for (Entry e : entries) {
            if (e.event().type().isTerminal()) {
                finished.add(e.event().taskId());
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
        for (Entry e : entries) {
            if (e.offset() > offset) {
                out.add(e);
            }
        }
        return Optional.of(out);
    }

    /** True when nothing is kept any more (the hub may forget an idle user). */
    public boolean isEmpty(long nowNanos) {
        trim(nowNanos);
        return entries.isEmpty();
    }

    public int size() {
        return entries.size();
    }

    private void trim(long nowNanos) {
        while (!entries.isEmpty()) {
            Entry first = entries.peekFirst();
            boolean tooOld = nowNanos - first.atNanos() > maxAgeNanos;
            if (!tooOld && entries.size() <= maxEvents && bytes <= maxBytes) {
                return;
            }
            entries.pollFirst();
            bytes -= first.bytes();
            evictedThrough = first.offset();
        }
    }
}
