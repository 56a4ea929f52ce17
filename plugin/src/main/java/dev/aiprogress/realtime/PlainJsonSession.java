package dev.aiprogress.realtime;

import dev.aiprogress.auth.SocketIdentity;
import dev.aiprogress.event.EventWriter;
import dev.aiprogress.event.ProgressEvent;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The plain JSON WebSocket protocol at {@code /ai-progress/ws}, for clients without Socket.IO.
 * Server frames: {@code {"event":"ai_progress","data":{...}}} and
 * {@code {"event":"error","data":{"message":".."}}}. Client frames:
 * {@code {"action":"resume","task_id":"..","after_seq":n}} (the task's events after {@code seq n})
 * and {@code {"action":"cancel","task_id":".."}}. The user is known at the upgrade (cookie or
 * token); an unknown user gets an error frame and the socket is closed.
 */
public final class PlainJsonSession {

    public static final int CLOSE_POLICY = 1008;
    /** The task ids the chat endpoint accepts; anything else is refused without being echoed. */
    private static final java.util.regex.Pattern TASK_ID = java.util.regex.Pattern.compile("[A-Za-z0-9_.:-]{1,64}");
    private static final int MAX_ECHOED_ACTION = 32;

    /** One instance for every socket, so a publish builds the frame once. */
    private static final Outbox.Framing FRAMING = (json, offset) -> eventFrame(json);

    private final UpgradeRequest request;
    private final Hub hub;
    private final UserLookup users;
    private final TaskControl tasks;
    private final int maxPayload;
    private final Outbox outbox;
    /** Set on open; cleared on close. Guarded by this. */
    private Hub.Attachment attachment;

    public PlainJsonSession(FrameSink sink, UpgradeRequest request, Hub hub, UserLookup users, TaskControl tasks,
                            RealtimeOptions options) {
        this.request = Objects.requireNonNull(request, "request");
        this.hub = Objects.requireNonNull(hub, "hub");
        this.users = Objects.requireNonNull(users, "users");
        this.tasks = Objects.requireNonNull(tasks, "tasks");
        this.maxPayload = options.maxPayload();
        this.outbox = hub.newOutbox(sink, FRAMING);
    }

    /** The frame of one event. */
    public static String eventFrame(String eventJson) {
        return "{\"event\":\"ai_progress\",\"data\":" + eventJson + "}";
    }

    /** The frame of an error the client caused. */
    public static String errorFrame(String message) {
        return "{\"event\":\"error\",\"data\":{\"message\":" + EventWriter.quote(message) + "}}";
    }

    public void onOpen() {
        Optional<SocketIdentity.Who> who = users.identify(request, Optional.empty());
        // ai-progress.auth.allow-guest: a socket nobody is known for becomes a new guest of its own
        Optional<String> user = who.map(SocketIdentity.Who::user).or(users::newGuest);
        if (user.isEmpty()) {
            outbox.sendControl(errorFrame("Unauthorized"));
            outbox.closeWhenDrained(CLOSE_POLICY, "unauthorized");
            return;
        }
        Optional<Hub.Attachment> joined = hub.tryAttach(user.get(), outbox);
        if (joined.isEmpty()) {
            outbox.sendControl(errorFrame("Too many connections"));
            outbox.closeWhenDrained(CLOSE_POLICY, "too many connections");
            return;
        }
        Hub.Attachment a = joined.get();
        synchronized (this) {
            attachment = a;
        }
        who.flatMap(SocketIdentity.Who::sessionId).ifPresent(sessionId -> outbox.whenClosed(users.whenSessionEnds(sessionId, () -> {
            outbox.sendControl(errorFrame("Logged out"));
            outbox.closeWhenDrained(CLOSE_POLICY, "logged out");
        })));
    }

    public void onText(String frame) {
        Hub.Attachment a;
        synchronized (this) {
            a = attachment;
        }
        if (a == null) {
            return;
        }
        if (frame.length() > maxPayload) {
            outbox.close(CLOSE_POLICY, "payload too large");
            return;
        }
        Optional<JsonValue> parsed = ClientJson.parse(frame);
        if (parsed.isEmpty() || !(parsed.get() instanceof JsonObject)) {
            outbox.sendControl(errorFrame("malformed message: expected a JSON object"));
            return;
        }
        JsonValue message = parsed.get();
        Optional<String> action = ClientJson.string(message, "action");
        Optional<String> taskId = ClientJson.string(message, "task_id");
        if (action.isEmpty() || taskId.isEmpty()) {
            outbox.sendControl(errorFrame("a message needs \"action\" and \"task_id\""));
            return;
        }
        // checked before any reply names it: what a client sent is echoed only once it is a valid id
        if (!TASK_ID.matcher(taskId.get()).matches()) {
            outbox.sendControl(errorFrame("task_id must be 1 to 64 characters of A-Z, a-z, 0-9, '_', '.', ':' or '-'"));
            return;
        }
        switch (action.get()) {
            case "resume" -> {
                long afterSeq = ClientJson.wholeNumber(message, "after_seq").orElse(0L);
                Optional<List<ProgressEvent>> missed = tasks.eventsAfter(a.userId(), taskId.get(), afterSeq);
                if (missed.isEmpty()) {
                    outbox.sendControl(errorFrame("no task " + taskId.get() + " of yours"));
                    return;
                }
                for (ProgressEvent e : missed.get()) {
                    outbox.offer(e, hub.toJson(e), 0L);
                }
            }
            case "cancel" -> {
                if (!tasks.cancel(a.userId(), taskId.get())) {
                    outbox.sendControl(errorFrame("no running task " + taskId.get() + " of yours"));
                }
            }
            default -> outbox.sendControl(errorFrame(action.get().length() <= MAX_ECHOED_ACTION
                    ? "unknown action " + action.get() : "unknown action; known: resume, cancel"));
        }
    }

    public void onClose() {
        Hub.Attachment a;
        synchronized (this) {
            a = attachment;
            attachment = null;
        }
        if (a != null) {
            a.detach();
        }
        outbox.close(1000, "closed");
    }

    public Outbox outbox() {
        return outbox;
    }
}
