package dev.aiprogress.realtime.socketio;

import dev.aiprogress.auth.SocketIdentity;
import dev.aiprogress.realtime.FrameSink;
import dev.aiprogress.realtime.Hub;
import dev.aiprogress.event.EventWriter;
import dev.aiprogress.realtime.ClientJson;
import dev.aiprogress.realtime.Outbox;
import dev.aiprogress.realtime.RealtimeOptions;
import dev.aiprogress.realtime.TaskControl;
import dev.aiprogress.realtime.UpgradeRequest;
import dev.aiprogress.realtime.UserLookup;
import jakarta.json.JsonArray;
import jakarta.json.JsonValue;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One Engine.IO v4 / Socket.IO v5 session over one WebSocket, default namespace only. Lifecycle:
 * {@link #onOpen} sends the open packet and starts the connect timer and heartbeat; the first
 * Socket.IO packet must be a CONNECT, answered {@code 40{"sid":..[,"pid":..]}} or
 * {@code 44{"message":"Unauthorized"}}; then the socket receives its user's events as
 * {@code 42["ai_progress",{...},"<offset>"]}. Anything malformed closes the socket. Timers run on
 * the shared scheduler; a session owns no thread. Methods are called by the container (one
 * message at a time) and by the scheduler; state is guarded by {@code this}.
 */
public final class SocketIoSession {

    public static final String EVENT_NAME = "ai_progress";
    public static final int CLOSE_PROTOCOL_ERROR = 1002;
    public static final int CLOSE_POLICY = 1008;
    public static final int CLOSE_NORMAL = 1000;

    /**
     * {@code 42["ai_progress",{...},"<offset>"]}; one instance for every socket, so a publish builds the
     * frame once. On many nodes the offset carries a suffix that makes it meaningful on every node
     * ({@link Hub#recover}). Written out rather than through {@link SocketPacket#event}: it runs for
     * every chunk, and the name and the offset need no JSON escaping (a test holds it equal to that packet).
     */
    static final Outbox.Framing FRAMING_WITH_OFFSET = new Outbox.Framing() {
        @Override
        public String frame(String json, long offset) {
            return "42[\"" + EVENT_NAME + "\"," + json + ",\"" + offset + "\"]";
        }

        @Override
        public String frame(String json, long offset, String offsetSuffix) {
            return "42[\"" + EVENT_NAME + "\"," + json + ",\"" + offset + offsetSuffix + "\"]";
        }
    };
    /** {@code 42["ai_progress",{...}]} when recovery is off. */
    static final Outbox.Framing FRAMING = (json, offset) -> "42[\"" + EVENT_NAME + "\"," + json + "]";

    private static final System.Logger LOG = System.getLogger(SocketIoSession.class.getName());
    private static final SecureRandom RANDOM = new SecureRandom();

    private enum State { NEW, AWAITING_CONNECT, CONNECTED, CLOSED }

    private final UpgradeRequest request;
    private final Hub hub;
    private final UserLookup users;
    private final TaskControl tasks;
    private final RealtimeOptions options;
    private final ScheduledExecutorService scheduler;
    private final Outbox outbox;
    private final boolean recoveryEnabled;
    /** The Engine.IO session id of a session opened by HTTP long-polling ({@link PollingSession}); null on a WebSocket. */
    private final String pollingSid;

    private State state = State.NEW;
    private ScheduledFuture<?> connectTimer;
    private ScheduledFuture<?> heartbeatTimer;
    private Hub.Attachment attachment;
    private String userId;

    public SocketIoSession(FrameSink sink, UpgradeRequest request, Hub hub, UserLookup users, TaskControl tasks,
                           RealtimeOptions options, ScheduledExecutorService scheduler) {
        this(sink, request, hub, users, tasks, options, scheduler, null);
    }

    /** A session opened by HTTP long-polling under {@code pollingSid}; its open packet offers the upgrade to WebSocket. */
    SocketIoSession(FrameSink sink, UpgradeRequest request, Hub hub, UserLookup users, TaskControl tasks,
                    RealtimeOptions options, ScheduledExecutorService scheduler, String pollingSid) {
        this.pollingSid = pollingSid;
        this.request = Objects.requireNonNull(request, "request");
        this.hub = Objects.requireNonNull(hub, "hub");
        this.users = Objects.requireNonNull(users, "users");
        this.tasks = Objects.requireNonNull(tasks, "tasks");
        this.options = Objects.requireNonNull(options, "options");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.recoveryEnabled = options.replayMaxEvents() > 0;
        this.outbox = hub.newOutbox(sink, recoveryEnabled ? FRAMING_WITH_OFFSET : FRAMING);
        outbox.holdEvents();
    }

    /** The socket is open: refuse a wrong EIO/transport, else send the open packet and start the timers. */
    public void onOpen() {
        String transport = pollingSid == null ? "websocket" : "polling";
        if (!"4".equals(request.query().get("EIO")) || !transport.equals(request.query().get("transport"))) {
            LOG.log(System.Logger.Level.DEBUG, "AIP-040 refused socket: EIO must be 4 and transport websocket");
            close(CLOSE_PROTOCOL_ERROR, "unsupported protocol version or transport");
            return;
        }
        synchronized (this) {
            if (state != State.NEW) {
                return;
            }
            state = State.AWAITING_CONNECT;
            connectTimer = scheduler.schedule(this::connectTimedOut, options.connectTimeout().toMillis(),
                    TimeUnit.MILLISECONDS);
            heartbeatTimer = scheduler.schedule(this::ping, options.pingInterval().toMillis(), TimeUnit.MILLISECONDS);
        }
        outbox.sendControl(EnginePacket.encode(EnginePacket.open(pollingSid == null ? randomId(15) : pollingSid,
                pollingSid != null, options.pingInterval().toMillis(), options.pingTimeout().toMillis(),
                options.maxPayload())));
    }

    /** One text frame from the client. */
    public void onText(String frame) {
        if (frame.length() > options.maxPayload()) {
            close(CLOSE_POLICY, "payload too large");
            return;
        }
        Optional<EnginePacket> packet = EnginePacket.decode(frame);
        if (packet.isEmpty()) {
            close(CLOSE_PROTOCOL_ERROR, "parse error");
            return;
        }
        EnginePacket p = packet.get();
        if (p instanceof EnginePacket.Pong) {
            pong();
        } else if (p instanceof EnginePacket.Message m) {
            onSocketPacket(m.data());
        } else if (p instanceof EnginePacket.Close) {
            close(CLOSE_NORMAL, "client close");
        } else if (p instanceof EnginePacket.Noop) {
            return;
        } else {
            // a client ping is the wrong heartbeat direction in v4; an upgrade has nothing to upgrade from
            close(CLOSE_PROTOCOL_ERROR, "invalid packet for a websocket session");
        }
    }

    /** The socket closed (by either side) or failed: stop timers and leave the hub. */
    public void onClose() {
        close(CLOSE_NORMAL, "closed");
    }

    /** The outbox of this socket (tests and the endpoint read its state). */
    public Outbox outbox() {
        return outbox;
    }

    private void onSocketPacket(String data) {
        Optional<SocketPacket> decoded = SocketPacket.decode(data);
        if (decoded.isEmpty()) {
            close(CLOSE_PROTOCOL_ERROR, "parse error");
            return;
        }
        SocketPacket packet = decoded.get();
        State now;
        synchronized (this) {
            now = state;
        }
        if (packet instanceof SocketPacket.Connect connect) {
            if (!SocketPacket.DEFAULT_NAMESPACE.equals(connect.namespace())) {
                outbox.sendControl("4" + SocketPacket.encode(new SocketPacket.ConnectError(connect.namespace(),
                        "{\"message\":\"Invalid namespace\"}")));
            } else if (now == State.AWAITING_CONNECT) {
                connect(connect.json().flatMap(ClientJson::parse).orElse(JsonValue.EMPTY_JSON_OBJECT));
            } else {
                close(CLOSE_PROTOCOL_ERROR, "duplicate connect");
            }
            return;
        }
        if (now != State.CONNECTED || !SocketPacket.DEFAULT_NAMESPACE.equals(packet.namespace())) {
            close(CLOSE_PROTOCOL_ERROR, "packet before connect or for an unknown namespace");
            return;
        }
        if (packet instanceof SocketPacket.Disconnect) {
            close(CLOSE_NORMAL, "client namespace disconnect");
        } else if (packet instanceof SocketPacket.Event event) {
            onClientEvent(event);
        } else if (packet instanceof SocketPacket.ConnectError) {
            close(CLOSE_PROTOCOL_ERROR, "connect error from a client");
        }
        // an Ack from the client answers nothing we asked: ignored
    }

    private void connect(JsonValue auth) {
        Optional<SocketIdentity.Who> who = users.identify(request, ClientJson.string(auth, "sid"));
        // ai-progress.auth.allow-guest: a socket nobody is known for becomes a new guest of its own
        Optional<String> user = who.map(SocketIdentity.Who::user).or(users::newGuest);
        if (user.isEmpty()) {
            // refuse, never connect-then-kick: a 41 makes the real client reconnect in a loop
            outbox.sendControl("4" + SocketPacket.encode(new SocketPacket.ConnectError(SocketPacket.DEFAULT_NAMESPACE,
                    "{\"message\":\"Unauthorized\"}")));
            return;
        }
        Optional<Hub.Attachment> recovered = Optional.empty();
        Optional<String> pid = ClientJson.string(auth, "pid");
        Optional<String> offset = ClientJson.string(auth, "offset");
        if (recoveryEnabled && pid.isPresent() && offset.isPresent()) {
            recovered = hub.recover(user.get(), pid.get(), offset.get(), outbox);
        }
        Optional<Hub.Attachment> joined = recovered.isPresent() ? recovered : hub.tryAttach(user.get(), outbox);
        if (joined.isEmpty()) {
            // the user is at ai-progress.realtime.max-sockets-per-user: refuse the newest socket
            outbox.sendControl("4" + SocketPacket.encode(new SocketPacket.ConnectError(SocketPacket.DEFAULT_NAMESPACE,
                    "{\"message\":\"Too many connections\"}")));
            return;
        }
        Hub.Attachment attached = joined.get();
        boolean stillOpen;
        synchronized (this) {
            stillOpen = state == State.AWAITING_CONNECT;
            if (stillOpen) {
                state = State.CONNECTED;
                attachment = attached;
                userId = user.get();
                if (connectTimer != null) {
                    connectTimer.cancel(false);
                    connectTimer = null; // a cancelled task is still ~100 B held for the socket's life
                }
            }
        }
        if (!stillOpen) {
            attached.detach();
            return;
        }
        String socketId = randomId(15);
        String reply = recoveryEnabled
                ? "{\"sid\":" + EventWriter.quote(socketId) + ",\"pid\":" + EventWriter.quote(attached.pid()) + "}"
                : "{\"sid\":" + EventWriter.quote(socketId) + "}";
        outbox.sendControl("4" + SocketPacket.encode(new SocketPacket.Connect(SocketPacket.DEFAULT_NAMESPACE,
                Optional.of(reply))));
        outbox.releaseEvents();
        who.flatMap(SocketIdentity.Who::sessionId).ifPresent(sessionId -> outbox.whenClosed(users.whenSessionEnds(sessionId, () -> {
            // logout: a server-side namespace disconnect (41), which socket.io-client does not retry
            outbox.sendControl("4" + SocketPacket.encode(new SocketPacket.Disconnect(SocketPacket.DEFAULT_NAMESPACE)));
            outbox.closeWhenDrained(CLOSE_NORMAL, "logged out");
        })));
    }

    private void onClientEvent(SocketPacket.Event event) {
        // the decoder let only an array starting with a string through
        JsonArray args = ClientJson.parse(event.argsJson()).map(JsonValue::asJsonArray).orElseThrow();
        String name = args.getString(0);
        if ("cancel".equals(name) && args.size() >= 2) {
            Optional<String> taskId = ClientJson.string(args.get(1), "task_id");
            String user;
            synchronized (this) {
                user = userId;
            }
            boolean cancelled = taskId.isPresent() && tasks.cancel(user, taskId.get());
            if (event.ackId().isPresent()) {
                outbox.sendControl("4" + SocketPacket.encode(new SocketPacket.Ack(SocketPacket.DEFAULT_NAMESPACE,
                        event.ackId().getAsLong(), "[{\"cancelled\":" + cancelled + "}]")));
            }
        }
        // other client events are not part of this protocol and are ignored
    }

    private void ping() {
        synchronized (this) {
            if (state == State.CLOSED) {
                return;
            }
            heartbeatTimer = scheduler.schedule(() -> close(CLOSE_POLICY, "ping timeout"),
                    options.pingTimeout().toMillis(), TimeUnit.MILLISECONDS);
        }
        outbox.sendControl(EnginePacket.encode(new EnginePacket.Ping("")));
    }

    private void pong() {
        synchronized (this) {
            if (state == State.CLOSED) {
                return;
            }
            if (heartbeatTimer != null) {
                heartbeatTimer.cancel(false);
            }
            heartbeatTimer = scheduler.schedule(this::ping, options.pingInterval().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void connectTimedOut() {
        synchronized (this) {
            if (state != State.AWAITING_CONNECT) {
                return;
            }
        }
        close(CLOSE_POLICY, "no connect in time");
    }

    void close(int code, String reason) {
        Hub.Attachment leaving;
        synchronized (this) {
            state = State.CLOSED;
            cancelTimers();
            leaving = attachment;
            attachment = null;
        }
        if (leaving != null) {
            leaving.detach();
        }
        outbox.close(code, reason);
    }

    private void cancelTimers() {
        if (connectTimer != null) {
            connectTimer.cancel(false);
        }
        if (heartbeatTimer != null) {
            heartbeatTimer.cancel(false);
        }
    }

    static String randomId(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
