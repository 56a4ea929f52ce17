package dev.aiprogress.realtime.jakarta;

import dev.aiprogress.realtime.UpgradeRequest;

import jakarta.websocket.Endpoint;
import jakarta.websocket.Extension;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Captures what the realtime side needs of the upgrade request (Cookie, Authorization, Origin,
 * Host, query) into the per-connection user properties, and makes one endpoint instance per
 * connection.
 *
 * <p>The Origin is not judged here: the policy allows the request's own host, and
 * {@link #checkOrigin} does not receive the {@code Host} header. The endpoint applies the policy
 * when the socket opens and closes a foreign-origin socket before sending anything.
 */
final class HandshakeConfigurator extends ServerEndpointConfig.Configurator {

    static final String UPGRADE_KEY = "dev.aiprogress.realtime.upgrade";

    private final boolean perMessageDeflate;
    private final Supplier<Endpoint> endpoints;

    HandshakeConfigurator(boolean perMessageDeflate, Supplier<Endpoint> endpoints) {
        this.perMessageDeflate = perMessageDeflate;
        this.endpoints = endpoints;
    }

    /** Every origin passes the handshake; {@link RealtimeEndpoint#onOpen} decides (it sees {@code Host}). */
    @Override
    public boolean checkOrigin(String originHeaderValue) {
        return true;
    }

    @Override
    public void modifyHandshake(ServerEndpointConfig config, HandshakeRequest request, HandshakeResponse response) {
        Map<String, List<String>> headers = request.getHeaders();
        config.getUserProperties().put(UPGRADE_KEY, new UpgradeRequest(
                header(headers, "Cookie"), header(headers, "Authorization"), header(headers, "Origin"),
                header(headers, "Host"), query(request.getQueryString())));
    }

    /** The first value of each query parameter ({@link UpgradeRequest#parseQuery}). */
    static Map<String, String> query(String rawQuery) {
        return UpgradeRequest.parseQuery(rawQuery);
    }

    /**
     * No extension unless {@link dev.aiprogress.realtime.RealtimeOptions#perMessageDeflate()} allows
     * it (the only one a client asks for is permessage-deflate): see that option for why it is off.
     */
    @Override
    public List<Extension> getNegotiatedExtensions(List<Extension> installed, List<Extension> requested) {
        return perMessageDeflate ? super.getNegotiatedExtensions(installed, requested) : List.of();
    }

    @Override
    public <T> T getEndpointInstance(Class<T> endpointClass) {
        return endpointClass.cast(endpoints.get());
    }

    /** Header names are case-insensitive; containers differ in the case of the map's keys. */
    private static Optional<String> header(Map<String, List<String>> headers, String name) {
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            if (e.getKey() != null && e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                return Optional.ofNullable(e.getValue().get(0));
            }
        }
        return Optional.empty();
    }

    /** The captured request of a session; empty-handed if a container skipped {@link #modifyHandshake}. */
    static UpgradeRequest upgradeOf(Map<String, Object> userProperties) {
        return userProperties.get(UPGRADE_KEY) instanceof UpgradeRequest r ? r : UpgradeRequest.empty();
    }
}
