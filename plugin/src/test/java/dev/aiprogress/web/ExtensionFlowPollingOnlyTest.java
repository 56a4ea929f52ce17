package dev.aiprogress.web;

/**
 * {@link ExtensionFlowTest}'s cases with {@code transports:['polling']}, as a client behind a proxy
 * that blocks WebSocket would connect: every event over long-polling GETs, every packet of the
 * client (CONNECT, cancel, pongs) over POSTs.
 */
class ExtensionFlowPollingOnlyTest extends ExtensionFlowTest {

    @Override
    String transports() {
        return "polling";
    }

    @Override
    String finalTransport() {
        return "polling";
    }
}
