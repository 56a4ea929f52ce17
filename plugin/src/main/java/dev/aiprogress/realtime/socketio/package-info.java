/**
 * Engine.IO v4 and Socket.IO v5 over one WebSocket, in plain Java: packets, codec, the session
 * state machine with its heartbeat on a shared scheduler, and connection state recovery.
 */
package dev.aiprogress.realtime.socketio;
