/**
 * The wire model of what a client sees: {@link dev.aiprogress.event.ProgressEvent} (the payload of
 * one {@code ai_progress} event) with its {@link dev.aiprogress.event.EventType}, the chat reply
 * body {@link dev.aiprogress.event.ChatReply}, and the two writers that turn them into JSON text
 * ({@link dev.aiprogress.event.EventJson} through JSON-B, {@link dev.aiprogress.event.EventWriter}
 * by hand, byte for byte the same). The bottom of the package map: it imports no other package of
 * ours, only the JDK and JSON-B, and must not learn of providers, sockets or the servlet API.
 */
package dev.aiprogress.event;
