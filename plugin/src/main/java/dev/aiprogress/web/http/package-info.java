/**
 * The HTTP endpoints with Frappe's names: servlets and filters (login, chat and agent, cancel, test
 * stream, providers, identity and security headers), the request parsers, non-blocking bodies and
 * replies, and Frappe error bodies. The container makes the servlets; they find their collaborators
 * in {@link dev.aiprogress.web.http.HttpServices}, put into the context by {@code web.bootstrap}.
 * May import {@code auth}, {@code gateway}, {@code provider}, {@code event}, {@code stream} and
 * {@code config}; never {@code web.bootstrap} or {@code web.config}.
 */
package dev.aiprogress.web.http;
