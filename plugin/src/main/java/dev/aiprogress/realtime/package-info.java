/**
 * Realtime delivery: the {@link dev.aiprogress.realtime.Hub} (user to live sockets, room
 * {@code user:<id>}, replay window and recovery ids), one
 * {@link dev.aiprogress.realtime.Outbox} per socket (bounded, one send in flight), and the small
 * interfaces {@code web.bootstrap}/{@code gateway} implement ({@link dev.aiprogress.realtime.UserLookup},
 * {@link dev.aiprogress.realtime.TaskControl}) with typed {@link dev.aiprogress.realtime.RealtimeOptions}
 * read by {@link dev.aiprogress.realtime.RealtimeKeys}. Client frames are read with JSON-P
 * ({@link dev.aiprogress.realtime.ClientJson}). Uses {@code event}, {@code config}, {@code auth} (who is
 * on a socket, the Origin rule) and {@code cluster} (the hub tells the cluster bus which users have sockets here); {@code socketio} is plain Java, {@code jakarta} is the only package
 * importing {@code jakarta.websocket}, {@code servlet} the only one serving HTTP (Engine.IO long-polling).
 */
package dev.aiprogress.realtime;
