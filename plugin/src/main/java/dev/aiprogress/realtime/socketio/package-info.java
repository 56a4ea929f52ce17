/**
 * Engine.IO v4 and Socket.IO v5 in plain Java: packets, codec, the session state machine with its
 * heartbeat on a shared scheduler, and connection state recovery, over one WebSocket or over HTTP
 * long-polling ({@link dev.aiprogress.realtime.socketio.PollingSession}, payloads of
 * {@link dev.aiprogress.realtime.socketio.EnginePayload}) with its upgrade to WebSocket; the
 * container side only hands requests and frames in ({@link dev.aiprogress.realtime.socketio.PollExchange}).
 */
package dev.aiprogress.realtime.socketio;
