package dev.aiprogress.web;

/**
 * {@link ExtensionFlowTest}'s cases with socket.io-client's default options ({@code io(url)}): the
 * session opens by HTTP long-polling and upgrades to WebSocket ({@code 2probe}, {@code 3probe},
 * {@code 5}) while events flow, so every case also crosses the switch.
 */
class ExtensionFlowLibraryDefaultsTest extends ExtensionFlowTest {

    @Override
    String transports() {
        return "default";
    }

    @Override
    boolean upgrades() {
        return true;
    }
}
