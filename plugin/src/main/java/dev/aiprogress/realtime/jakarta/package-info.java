/**
 * The container side: the Socket.IO endpoint at {@code /socket.io/}, the plain JSON endpoint at
 * {@code /ai-progress/ws}, the handshake configurator (headers, Origin policy) and
 * {@link dev.aiprogress.realtime.jakarta.RealtimeEndpoints#register}, which the web layer calls.
 */
package dev.aiprogress.realtime.jakarta;
