/**
 * The container side of Engine.IO HTTP long-polling: {@link dev.aiprogress.realtime.servlet.PollingServlet}
 * at {@code /socket.io/*} on servlet async I/O, the only realtime package importing {@code jakarta.servlet}.
 * The protocol itself is {@link dev.aiprogress.realtime.socketio.PollingSession}.
 */
package dev.aiprogress.realtime.servlet;
