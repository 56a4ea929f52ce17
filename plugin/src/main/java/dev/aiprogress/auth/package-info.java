/**
 * Who is calling and from where, the same for HTTP and both socket transports: credentials read off
 * a request ({@link dev.aiprogress.auth.Credentials}: session cookies, {@code Authorization: token
 * key:secret}, the Socket.IO {@code auth.sid}), the one {@link dev.aiprogress.auth.OriginPolicy},
 * identity resolution ({@link dev.aiprogress.auth.HttpIdentity}, {@link dev.aiprogress.auth.SocketIdentity}),
 * the session registry, the login slow-down, guests, and the token SPI
 * {@link dev.aiprogress.auth.TokenVerifier} with its file-based implementation. May import
 * {@code config} and the Servlet API (sessions, requests); never the realtime, gateway or web
 * packages, which all sit above it.
 */
package dev.aiprogress.auth;
