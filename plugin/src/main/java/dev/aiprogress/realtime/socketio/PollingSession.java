package dev.aiprogress.realtime.socketio;

import dev.aiprogress.realtime.FrameSink;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One Engine.IO v4 session opened by HTTP long-polling, and its upgrade to WebSocket. The Socket.IO
 * side is an ordinary {@link SocketIoSession} whose {@link FrameSink} is this session's
 * {@link Transport}: its outbox (bounded, one send in flight, control frames first) stays the same
 * through the whole life of the session, and only where a frame goes changes.
 *
 * <p>Polling: a frame the outbox sends while a GET waits answers that GET at once; otherwise the
 * send stays in flight (the outbox keeps queuing and merging behind it) until the next GET, which
 * then takes that frame and everything queued behind it as one payload ({@code \x1e}-joined). A GET
 * never holds a thread: the servlet parks its async request here. A client that stops polling stops
 * taking pings, and the ping timeout closes the session; an outbox past its bound closes it too.
 *
 * <p>Upgrade: a WebSocket with this sid becomes the candidate; {@code 2probe} is answered
 * {@code 3probe} on it and a waiting GET gets {@code 6} (noop), GETs from then on are answered at once
 * (never parked); {@code 5} switches: the frame in flight, if any, is sent again on the WebSocket and
 * the outbox carries on there, so nothing is lost or sent twice. After that, HTTP requests with this
 * sid get 400 and another WebSocket with it is closed.
 *
 * <p>Guarded by {@code this}: the phase and the transport state (and {@link PollingPosts}' state).
 * Packets into the Socket.IO session are serialised by {@link #inbound} (POSTs, then the WebSocket).
 * Nothing calls out while holding {@code this}.
 */
public final class PollingSession {

    private static final System.Logger LOG = System.getLogger(PollingSession.class.getName());

    /** What a GET gets when there is nothing to say: an Engine.IO noop. */
    static final String NOOP = "6";
    /** What a waiting GET gets when the server closes the session: an Engine.IO close. */
    static final String CLOSE = "1";

    enum Phase { POLLING, UPGRADING, UPGRADED, CLOSED }

    private final String sid;
    private final PollingSessions owner;
    private final SocketIoSession socket;
    private final ScheduledExecutorService scheduler;
    private final long upgradeTimeoutMillis;
    private final Transport transport = new Transport();
    /** Serialises packets into {@link #socket}: one POST at a time, then the upgraded WebSocket. */
    private final Object inbound = new Object();
    /** The POSTs: their packets into {@link #socket}. */
    private final PollingPosts posts;

    private Phase phase = Phase.POLLING;
    /** A GET waiting for something to send. */
    private PollExchange parked;
    /** Non-null while a GET is being answered: frames sent meanwhile join its payload. */
    private List<String> batch;
    /** The outbox's send in flight while no GET waits; completed by the next GET (or moved to the WebSocket). */
    private String heldFrame;
    private FrameSink.Completion heldCompletion;
    /** The close packet came from the client: a waiting GET is released with a noop, not a close. */
    private boolean clientClosing;
    /** The WebSocket being probed, and then the one the session moved to. */
    private FrameSink candidate;
    private boolean probeAnswered;
    private boolean upgradeAsked;
    private ScheduledFuture<?> upgradeTimer;

    PollingSession(String sid, PollingSessions owner, java.util.function.Function<FrameSink, SocketIoSession> socket,
                   ScheduledExecutorService scheduler, long upgradeTimeoutMillis) {
        this.sid = sid;
        this.owner = owner;
        this.scheduler = scheduler;
        this.upgradeTimeoutMillis = upgradeTimeoutMillis;
        this.socket = socket.apply(transport);
        this.posts = new PollingPosts(this, this.socket, inbound);
    }

    public String sid() {
        return sid;
    }

    /** The Socket.IO session (tests read its outbox). */
    SocketIoSession socket() {
        return socket;
    }

    synchronized Phase phase() {
        return phase;
    }

    /** A GET is waiting here (tests). */
    synchronized boolean hasParkedPoll() {
        return parked != null;
    }

    /** A POST is being read or handled (tests). */
    boolean isPostActive() {
        return posts.isActive();
    }

    /** Starts the session and answers the handshake GET with its open packet. */
    void start(PollExchange handshake) {
        socket.onOpen();
        poll(handshake);
    }

    /** A GET with this sid. */
    public void poll(PollExchange get) {
        EngineError refusal = null;
        boolean overlapping = false;
        boolean noop = false;
        FrameSink.Completion drained = null;
        synchronized (this) {
            if (phase == Phase.CLOSED) {
                refusal = EngineError.UNKNOWN_SID;
            } else if (phase == Phase.UPGRADED) {
                refusal = EngineError.TRANSPORT_MISMATCH;
            } else if (parked != null || batch != null) {
                refusal = EngineError.OVERLAPPING_REQUEST;
                overlapping = true;
            } else if (heldFrame != null) {
                batch = new ArrayList<>(4);
                batch.add(heldFrame);
                drained = heldCompletion;
                heldFrame = null;
                heldCompletion = null;
            } else if (phase == Phase.UPGRADING) {
                noop = true; // the client is pausing polling: never park a GET now
            } else {
                parked = get;
            }
        }
        if (refusal != null) {
            get.refuse(refusal);
            if (overlapping) {
                LOG.log(System.Logger.Level.DEBUG, "AIP-043 closing a polling session: a second GET while one waits");
                socket.close(SocketIoSession.CLOSE_PROTOCOL_ERROR, "overlapping poll");
            }
            return;
        }
        if (noop) {
            get.ok(NOOP);
            return;
        }
        if (drained != null) {
            // the outbox carries on on this thread: whatever waits behind the frame joins this payload
            drained.done(Optional.empty());
            String body;
            synchronized (this) {
                body = EnginePayload.encode(batch);
                batch = null;
            }
            get.ok(body);
        }
    }

    /**
     * The container gave up on a GET (async timeout, client gone). True when it was still waiting
     * here, so nothing was given to it and the caller answers it; false when a frame already went to it.
     */
    public boolean unpark(PollExchange get) {
        synchronized (this) {
            if (parked != get) {
                return false;
            }
            parked = null;
            return true;
        }
    }

    /** A POST with this sid arrived; false (refuse it: the session is closed) when another POST is still being handled. */
    public boolean beginPost() {
        return posts.begin();
    }

    /** The body of the POST {@link #beginPost} admitted: its packets go to the session in order, then {@code ok}. */
    public void post(String body, PollExchange post) {
        posts.post(body, post);
    }

    /** The POST's body passed {@code maxPayload}: 413, and the session is closed. */
    public void postTooLarge(PollExchange post) {
        posts.tooLarge(post);
    }

    /** The POST's body could not be read (client gone): nothing of it is used. */
    public void postFailed() {
        posts.failed();
    }

    /** The client sent the close packet: a waiting GET is released with a noop, not a close. */
    synchronized void clientClosing() {
        clientClosing = true;
    }

    /**
     * A WebSocket opened with this session's sid. Empty when it cannot take part (the session is
     * closed, already upgraded, or another WebSocket is probing): the caller closes it.
     */
    public Optional<Upgrade> upgrade(FrameSink ws) {
        synchronized (this) {
            if (phase != Phase.POLLING || candidate != null) {
                return Optional.empty();
            }
            candidate = ws;
            probeAnswered = false;
            upgradeAsked = false;
            upgradeTimer = scheduler.schedule(() -> upgradeTimedOut(ws), upgradeTimeoutMillis, TimeUnit.MILLISECONDS);
        }
        return Optional.of(new Upgrade(ws));
    }

    /** The WebSocket side of an upgrade: the endpoint hands it every text frame and the close. */
    public final class Upgrade {
        private final FrameSink ws;

        private Upgrade(FrameSink ws) {
            this.ws = ws;
        }

        public void onText(String frame) {
            boolean upgraded;
            synchronized (PollingSession.this) {
                upgraded = phase == Phase.UPGRADED && candidate == ws;
            }
            if (upgraded) {
                synchronized (inbound) {
                    socket.onText(frame);
                }
            } else if (frame.equals("2probe")) {
                probe(ws);
            } else if (frame.equals("5")) {
                upgradeAsked(ws);
            } else {
                failUpgrade(ws, "invalid packet during upgrade");
            }
        }

        /** The WebSocket closed or failed. */
        public void onClose() {
            candidateGone(ws);
        }
    }

    private void probe(FrameSink ws) {
        PollExchange waiting;
        synchronized (this) {
            if (candidate != ws || phase != Phase.POLLING) {
                waiting = null;
                ws = null;
            } else {
                phase = Phase.UPGRADING;
                waiting = parked;
                parked = null;
            }
        }
        if (ws == null) {
            return;
        }
        if (waiting != null) {
            waiting.ok(NOOP);
        }
        FrameSink probed = ws;
        ws.sendText("3probe", failure -> {
            if (failure.isPresent()) {
                failUpgrade(probed, "probe failed");
                return;
            }
            synchronized (this) {
                if (candidate != probed) {
                    return;
                }
                probeAnswered = true;
            }
            maybeSwitch();
        });
    }

    private void upgradeAsked(FrameSink ws) {
        boolean valid;
        synchronized (this) {
            valid = candidate == ws && phase == Phase.UPGRADING;
            if (valid) {
                upgradeAsked = true;
            }
        }
        if (valid) {
            maybeSwitch();
        } else {
            failUpgrade(ws, "invalid packet during upgrade"); // an upgrade before the probe
        }
    }

    /** The switch, once the client asked for it and the probe answer is written (one send at a time on the WebSocket). */
    private void maybeSwitch() {
        FrameSink ws;
        String frame;
        FrameSink.Completion completion;
        PollExchange waiting;
        synchronized (this) {
            if (phase != Phase.UPGRADING || !probeAnswered || !upgradeAsked) {
                return;
            }
            phase = Phase.UPGRADED;
            ws = candidate;
            frame = heldFrame;
            completion = heldCompletion;
            heldFrame = null;
            heldCompletion = null;
            waiting = parked;
            parked = null;
            cancelUpgradeTimer();
        }
        owner.upgraded(this);
        if (waiting != null) {
            waiting.ok(NOOP);
        }
        if (frame != null) {
            ws.sendText(frame, completion);
        }
    }

    private void failUpgrade(FrameSink ws, String reason) {
        boolean wasUpgrading;
        synchronized (this) {
            if (candidate != ws || phase == Phase.UPGRADED || phase == Phase.CLOSED) {
                return;
            }
            wasUpgrading = phase == Phase.UPGRADING;
            candidate = null;
            phase = Phase.POLLING;
            cancelUpgradeTimer();
        }
        LOG.log(System.Logger.Level.DEBUG, "AIP-044 upgrade to websocket abandoned: {0}", reason);
        ws.close(SocketIoSession.CLOSE_PROTOCOL_ERROR, reason);
        if (wasUpgrading) {
            // the client paused its polling for this upgrade and cannot go on: end the session
            socket.close(SocketIoSession.CLOSE_PROTOCOL_ERROR, reason);
        }
    }

    private void upgradeTimedOut(FrameSink ws) {
        synchronized (this) {
            if (candidate != ws || phase == Phase.UPGRADED || phase == Phase.CLOSED) {
                return;
            }
        }
        failUpgrade(ws, "upgrade timeout");
    }

    private void candidateGone(FrameSink ws) {
        boolean sessionGone;
        synchronized (this) {
            if (candidate != ws) {
                return;
            }
            sessionGone = phase == Phase.UPGRADED;
            if (!sessionGone && phase != Phase.CLOSED) {
                candidate = null;
                phase = Phase.POLLING;
                cancelUpgradeTimer();
            }
        }
        if (sessionGone) {
            socket.onClose();
        }
    }

    private void cancelUpgradeTimer() {
        if (upgradeTimer != null) {
            upgradeTimer.cancel(false);
            upgradeTimer = null;
        }
    }

    /** Closes the session from the server side (undeploy). */
    void shutdown() {
        socket.close(1001, "server shutting down");
    }

    /** Where the outbox's frames go: a waiting GET, the next GET, or the WebSocket the session moved to. */
    final class Transport implements FrameSink {

        @Override
        public void sendText(String text, Completion completion) {
            FrameSink ws = null;
            PollExchange answer = null;
            synchronized (PollingSession.this) {
                if (phase == Phase.UPGRADED) {
                    ws = candidate;
                } else if (phase == Phase.CLOSED) {
                    // nothing goes out any more; the outbox closed before us
                } else if (batch != null) {
                    batch.add(text);
                } else if (parked != null) {
                    answer = parked;
                    parked = null;
                } else {
                    heldFrame = text;
                    heldCompletion = completion;
                    return;
                }
            }
            if (ws != null) {
                ws.sendText(text, completion);
                return;
            }
            if (answer != null) {
                answer.ok(text);
            }
            completion.done(Optional.empty());
        }

        @Override
        public void close(int code, String reason) {
            closed(code, reason, false);
        }

        @Override
        public void abandon(int code, String reason) {
            closed(code, reason, true);
        }

        private void closed(int code, String reason, boolean abandon) {
            FrameSink ws;
            PollExchange waiting;
            String last;
            Phase was;
            synchronized (PollingSession.this) {
                was = phase;
                if (was == Phase.CLOSED) {
                    return;
                }
                phase = Phase.CLOSED;
                ws = candidate;
                candidate = null;
                last = clientClosing ? NOOP : CLOSE;
                waiting = parked;
                parked = null;
                if (batch != null) {
                    batch.add(last); // the GET being answered now carries the close
                }
                heldFrame = null;
                heldCompletion = null;
                cancelUpgradeTimer();
            }
            owner.closed(PollingSession.this, was == Phase.UPGRADED);
            if (waiting != null) {
                waiting.ok(last);
            }
            if (ws != null) {
                if (abandon && was == Phase.UPGRADED) {
                    ws.abandon(code, reason);
                } else {
                    ws.close(code, reason);
                }
            }
        }
    }
}
